import { startPeer } from '../tests/support/peers';
import type { TestPeer } from '../tests/support/peers';
import { screenshotEveryLook } from './every-look';
import { expect, test } from './fixtures';

test.describe('A timed send to a peer that does not read', () => {
  let silent: TestPeer;
  test.beforeAll(async () => {
    // Accepts and never reads until told to: the kernel's buffers fill, then the send queue.
    silent = await startPeer({ onConnection: (socket) => socket.pause() });
  });
  test.afterAll(async () => silent.close());

  test('waits, and says so with the bytes queued, in the composer and the socket info', async ({
    app,
  }, testInfo) => {
    test.setTimeout(60_000);
    await app.getByRole('navigation').getByRole('button', { name: 'TCP client' }).click();
    await app.getByRole('tab', { name: /New connection/ }).click();
    await app.getByLabel('Host', { exact: true }).fill('127.0.0.1');
    await app.getByLabel('Port', { exact: true }).fill(String(silent.port));
    await app.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect(app.getByRole('status', { name: 'Session state' })).toHaveText('Connected');

    // 64 KiB every 1 ms: the loopback kernel takes tens of MiB, then the queue fills.
    await app.getByLabel('Payload', { exact: true }).fill('x'.repeat(64 * 1024));
    await app.getByLabel('Every (ms)').fill('1');
    await app.getByRole('switch', { name: 'Timed send' }).check();
    const waiting = /Waiting: peer not reading \([\d.]+ MiB queued\)/;
    await expect(app.getByRole('status').filter({ hasText: waiting })).toBeVisible({
      timeout: 30_000,
    });
    const info = app.getByRole('region', { name: 'Socket info' });
    await expect(info).toContainText(/Send queue\s*[\d.]+ MiB of 16\.0 MiB/);
    await expect(info).toContainText('the timed send waits');

    await screenshotEveryLook(app, 'backpressure', testInfo, async (language) => {
      if (language === 'zh')
        await expect(app.getByText(/等待中：对端未读取（已排队 [\d.]+ MiB）/)).toBeVisible();
      await app
        .getByRole('switch', { name: language === 'en' ? 'Timed send' : '定时发送' })
        .scrollIntoViewIfNeeded();
    });

    // Once the peer reads, the repeat goes on by itself and the words go.
    silent.connections.at(-1)!.resume();
    await expect(app.getByRole('status').filter({ hasText: waiting })).toHaveCount(0, {
      timeout: 20_000,
    });
    await app.getByRole('switch', { name: 'Timed send' }).uncheck();
  });
});
