import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { startPeer } from '../tests/support/peers';
import type { TestPeer } from '../tests/support/peers';
import { screenshotEveryLook } from './every-look';
import { expect, test } from './fixtures';
import type { Page } from '@playwright/test';

const shots = join(import.meta.dirname, '..', 'test-results', 'screenshots');

async function connectTo(app: Page, port: number): Promise<void> {
  await app.getByRole('navigation').getByRole('button', { name: 'TCP client' }).click();
  await app.getByRole('tab', { name: /New connection/ }).click();
  await app.getByLabel('Host', { exact: true }).fill('127.0.0.1');
  await app.getByLabel('Port', { exact: true }).fill(String(port));
  await app.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(app.getByRole('status', { name: 'Session state' })).toHaveText('Connected');
}

test.describe('Heartbeat on a TCP client', () => {
  let peer: TestPeer;
  const control = { answering: true };
  test.beforeAll(async () => {
    // Answers each "ping" with "pong" 20 ms later, while told to.
    peer = await startPeer({
      onConnection: (socket: Socket) =>
        socket.on('data', (chunk) => {
          if (chunk.includes('ping'))
            setTimeout(() => {
              if (control.answering && !socket.destroyed) socket.write('pong');
            }, 20);
        }),
    });
  });
  test.afterAll(async () => peer.close());

  test('shows RTT against an answering peer, goes Dead when it stops, and reconnects', async ({
    app,
  }, testInfo) => {
    test.setTimeout(90_000);
    control.answering = true;
    await connectTo(app, peer.port);
    await app.getByRole('button', { name: 'Heartbeat settings' }).click();
    const group = app.getByRole('group', { name: 'Heartbeat' });
    await group.getByLabel('Interval (ms)').fill('200');
    await group.getByLabel('Payload', { exact: true }).fill('ping');
    await group.getByLabel('Expected reply').fill('pong');
    await group.getByLabel('Missed replies before dead').fill('2');
    await group.getByLabel('When dead').selectOption('reconnect');
    await group.getByLabel('First delay (ms)').fill('500');
    await group.getByRole('switch', { name: 'Heartbeat on' }).check();

    const region = app.getByRole('region', { name: 'Heartbeat' });
    const rtt = region.getByRole('status', { name: 'Round-trip time' });
    await expect(rtt).toHaveText(/\d+(\.\d+)? ms/, { timeout: 10_000 });
    const value = Number(/([\d.]+) ms/.exec((await rtt.textContent()) ?? '')![1]);
    expect(value).toBeGreaterThanOrEqual(19);
    await expect(region).toContainText('min/avg/max/mdev');
    await expect(region.getByRole('img', { name: /Round-trip times/ })).toBeVisible();

    mkdirSync(shots, { recursive: true });
    const shot = (name: string) =>
      app.screenshot({ path: join(shots, `heartbeat-${name}-${testInfo.project.name}.png`) });
    await app.setViewportSize({ width: 1280, height: 800 });
    await shot('1280');
    await app.getByLabel('Language').selectOption('zh-CN');
    await shot('1280-zh');
    await app.getByLabel('语言').selectOption('en');
    await app.setViewportSize({ width: 900, height: 600 });
    await shot('900');
    await app.setViewportSize({ width: 1280, height: 800 });

    // The peer stops answering: Dead, then a reconnect attempt, logged with its delay.
    const connections = peer.connections.length;
    control.answering = false;
    await expect(app.getByRole('status', { name: 'Session state' })).toHaveText('Dead', {
      timeout: 10_000,
    });
    // Pings keep coming, so the log is filtered down to the events in question.
    const log = app.getByRole('region', { name: 'Packet log' });
    await log.getByLabel('Filter', { exact: true }).fill('heartbeats in a row');
    await expect(log.getByText(/No reply to 2 heartbeats in a row/).first()).toBeVisible();
    await log.getByLabel('Filter', { exact: true }).fill('Reconnect attempt');
    await expect(log.getByText('Reconnect attempt 1 in 500 ms').first()).toBeVisible();
    await log.getByLabel('Filter', { exact: true }).fill('');
    control.answering = true;
    await expect(app.getByRole('status', { name: 'Session state' })).toHaveText('Connected', {
      timeout: 10_000,
    });
    expect(peer.connections.length).toBeGreaterThan(connections);
    await group.getByRole('switch', { name: 'Heartbeat on' }).uncheck();
    await expect(region).toContainText('off');
  });

  test('starts with the connect when set in the connect form, and shows RTT', async ({
    app,
  }, testInfo) => {
    control.answering = true;
    await app.getByRole('navigation').getByRole('button', { name: 'TCP client' }).click();
    await app.getByRole('tab', { name: /New connection/ }).click();
    await app.getByLabel('Host', { exact: true }).fill('127.0.0.1');
    await app.getByLabel('Port', { exact: true }).fill(String(peer.port));
    // Folded until asked for, and off.
    const group = app.getByRole('group', { name: 'Heartbeat', exact: true });
    await expect(group).toBeHidden();
    await app.getByText('Heartbeat: off').click();
    await group.getByLabel('Interval (ms)').fill('5');
    await group.getByLabel('Payload', { exact: true }).fill('ping');
    await group.getByLabel('Expected reply').fill('pong');
    await group.getByRole('switch', { name: 'Heartbeat on' }).check();
    await expect(app.getByText('Heartbeat: on, every 5 ms')).toBeVisible();

    // A bad interval is refused in the form, naming the field; nothing connects.
    const connections = peer.connections.length;
    await app.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect(app.getByRole('alert')).toContainText('Interval (ms)');
    await expect(app.getByRole('alert')).toContainText('at least 10 ms');
    await expect(group.getByLabel('Interval (ms)')).toHaveAttribute('aria-invalid', 'true');
    expect(peer.connections.length).toBe(connections);

    await group.getByLabel('Interval (ms)').fill('200');
    await screenshotEveryLook(app, 'connect-heartbeat', testInfo);

    await app.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect(app.getByRole('status', { name: 'Session state' })).toHaveText('Connected');
    const region = app.getByRole('region', { name: 'Heartbeat' });
    await expect(region.getByRole('status', { name: 'Round-trip time' })).toHaveText(
      /\d+(\.\d+)? ms/,
      { timeout: 10_000 },
    );
    await expect(region).toContainText('min/avg/max/mdev');
    await app.getByRole('button', { name: 'Heartbeat settings' }).click();
    await app
      .getByRole('group', { name: 'Heartbeat', exact: true })
      .getByRole('switch', { name: 'Heartbeat on' })
      .uncheck();
    await expect(region).toContainText('off');
  });
});
