import { startPeer } from '../tests/support/peers';
import type { TestPeer } from '../tests/support/peers';
import { expect, test } from './fixtures';

test.describe('removing sessions', () => {
  let chatty: TestPeer;
  test.beforeAll(async () => {
    // Echoes, and talks on its own every 10 ms: with five sessions, records and state
    // updates are in every 50 ms flush, which is all the check needs (a faster peer
    // only loads a busy machine).
    chatty = await startPeer({
      onConnection: (socket) => {
        socket.pipe(socket);
        const timer = setInterval(() => socket.write('tick\r\n'), 10);
        socket.on('close', () => clearInterval(timer));
      },
    });
  });
  test.afterAll(async () => chatty.close());

  test('connected sessions removed under traffic do not come back as tabs', async ({ app }) => {
    // Ten connects and removes through the UI under traffic: on a loaded 2-core machine
    // each step can take a second or two, so this test gets twice the default time.
    test.setTimeout(60_000);
    await app.getByRole('navigation').getByRole('button', { name: 'TCP client' }).click();
    const tabs = app.getByRole('tablist', { name: 'Sessions' });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      await app.getByRole('tab', { name: /New connection/ }).click();
      await app.getByLabel('Host', { exact: true }).fill('127.0.0.1');
      await app.getByLabel('Port', { exact: true }).fill(String(chatty.port));
      await app.getByRole('button', { name: 'Connect', exact: true }).click();
      await expect(app.getByRole('status', { name: 'Session state' })).toHaveText('Connected');
      ids.push((await tabs.getByRole('tab', { selected: true }).innerText()).trim().split(' ')[0]!);
    }
    const log = app.getByRole('region', { name: 'Packet log' });
    await expect(log.getByRole('row').filter({ hasText: 'tick' }).first()).toBeVisible();

    for (const id of ids) {
      await tabs.getByRole('tab', { name: new RegExp(`^${id} `) }).click();
      await expect(app.getByRole('status', { name: 'Session state' })).toHaveText('Connected');
      await app.getByRole('button', { name: 'Remove', exact: true }).click();
      // Remove asks first; the dialog's own Remove confirms.
      await app.getByRole('alertdialog').getByRole('button', { name: 'Remove' }).click();
      await expect(tabs.getByRole('tab', { name: new RegExp(`^${id} `) })).toHaveCount(0);
    }
    // Later flushes have reached the page (a new session's ticks are shown): still gone.
    await app.getByRole('tab', { name: /New connection/ }).click();
    await app.getByLabel('Port', { exact: true }).fill(String(chatty.port));
    await app.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect(app.getByRole('status', { name: 'Session state' })).toHaveText('Connected');
    const witness = (await tabs.getByRole('tab', { selected: true }).innerText())
      .trim()
      .split(' ')[0]!;
    await expect(
      log.getByRole('row').filter({ hasText: witness }).filter({ hasText: 'tick' }).first(),
    ).toBeVisible();
    for (const id of ids)
      await expect(tabs.getByRole('tab', { name: new RegExp(`^${id} `) })).toHaveCount(0);
    await app.getByRole('button', { name: 'Remove', exact: true }).click();
    await app.getByRole('alertdialog').getByRole('button', { name: 'Remove' }).click();
    await expect(tabs.getByRole('tab', { name: new RegExp(`^${witness} `) })).toHaveCount(0);
  });
});
