import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startPeer } from '../tests/support/peers';
import type { TestPeer } from '../tests/support/peers';
import { expect, test } from './fixtures';

const shots = join(import.meta.dirname, '..', 'test-results', 'screenshots');

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

    mkdirSync(shots, { recursive: true });
    for (const size of [
      { width: 900, height: 600 },
      { width: 1280, height: 800 },
    ]) {
      await app.setViewportSize(size);
      for (const theme of ['light', 'dark'] as const) {
        await app.getByLabel('Theme', { exact: true }).selectOption(theme);
        await app.getByRole('switch', { name: 'Timed send' }).scrollIntoViewIfNeeded();
        await app.screenshot({
          path: join(shots, `backpressure-${size.width}-${theme}-en-${testInfo.project.name}.png`),
        });
        await app.getByLabel('Language').selectOption('zh-CN');
        await expect(app.getByText(/等待中：对端未读取（已排队 [\d.]+ MiB）/)).toBeVisible();
        await app.getByRole('switch', { name: '定时发送' }).scrollIntoViewIfNeeded();
        await app.screenshot({
          path: join(shots, `backpressure-${size.width}-${theme}-zh-${testInfo.project.name}.png`),
        });
        await app.getByLabel('语言').selectOption('en');
      }
    }
    await app.getByLabel('Theme', { exact: true }).selectOption('system');

    // Once the peer reads, the repeat goes on by itself and the words go.
    silent.connections.at(-1)!.resume();
    await expect(app.getByRole('status').filter({ hasText: waiting })).toHaveCount(0, {
      timeout: 20_000,
    });
    await app.getByRole('switch', { name: 'Timed send' }).uncheck();
  });
});
