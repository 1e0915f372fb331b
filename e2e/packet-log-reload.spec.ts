import { startPeer } from '../tests/support/peers';
import type { TestPeer } from '../tests/support/peers';
import { expect, test } from './fixtures';

test.describe('reloading the page', () => {
  let echo: TestPeer;
  test.beforeAll(async () => {
    echo = await startPeer();
  });
  test.afterAll(async () => echo.close());

  test('keeps the log the engine still holds, and the session', async ({ app }) => {
    await app.getByRole('navigation').getByRole('button', { name: 'TCP client' }).click();
    await app.getByRole('tab', { name: /New connection/ }).click();
    await app.getByLabel('Host', { exact: true }).fill('127.0.0.1');
    await app.getByLabel('Port', { exact: true }).fill(String(echo.port));
    await app.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect(app.getByRole('status', { name: 'Session state' })).toHaveText('Connected');
    const tab = (await app.getByRole('tab', { selected: true }).innerText()).trim();
    const token = `kept-${Date.now()}`;
    const payload = app.getByLabel('Payload', { exact: true });
    for (let i = 0; i < 3; i++) {
      await payload.fill(`${token}-${i}`);
      await payload.press('Control+Enter');
    }
    const log = app.getByRole('region', { name: 'Packet log' });
    const rows = log.getByRole('row').filter({ hasText: token });
    await expect(rows).toHaveCount(6);

    await app.reload();
    await app.getByRole('navigation').getByRole('button', { name: 'TCP client' }).click();
    await expect(app.getByRole('tab', { name: tab })).toBeVisible();
    await expect(log.getByRole('row').filter({ hasText: token })).toHaveCount(6);
    await expect(log.getByRole('row').filter({ hasText: `${token}-2` })).toHaveCount(2);

    // New traffic joins the reloaded log once, in order.
    await app.getByRole('tab', { name: tab }).click();
    await payload.fill(`${token}-after`);
    await payload.press('Control+Enter');
    await expect(log.getByRole('row').filter({ hasText: token })).toHaveCount(8);
  });
});
