import { createSocket } from 'node:dgram';
import type { RemoteInfo, Socket } from 'node:dgram';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

interface Peer {
  socket: Socket;
  port: number;
  received: { text: string; from: RemoteInfo }[];
}

/** A real dgram peer on loopback that answers each datagram with "ack:" + it. */
async function startPeer(): Promise<Peer> {
  const socket = createSocket('udp4');
  const received: Peer['received'] = [];
  socket.on('message', (message, from) => {
    received.push({ text: message.toString(), from });
    socket.send(`ack:${message.toString()}`, from.port, from.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { socket, port: socket.address().port, received };
}

async function openUdp(app: Page): Promise<void> {
  await app.getByRole('navigation').getByRole('button', { name: 'UDP', exact: true }).click();
  await expect(app.getByRole('heading', { name: 'UDP sockets' })).toBeVisible();
}

async function bind(app: Page, address = '127.0.0.1', port = '0'): Promise<void> {
  await app.getByRole('tab', { name: /New socket/ }).click();
  await app.getByLabel('Local address', { exact: true }).fill(address);
  await app.getByLabel('Local port', { exact: true }).fill(port);
  await app.getByRole('button', { name: 'Bind', exact: true }).click();
}

async function screenshot(app: Page, name: string, projectName: string): Promise<string> {
  const shots = join(import.meta.dirname, '..', 'test-results', 'screenshots');
  mkdirSync(shots, { recursive: true });
  const path = join(shots, `${name}-${projectName}.png`);
  await app.screenshot({ path, fullPage: true });
  return path;
}

test.describe('UDP', () => {
  let peer: Peer;
  let other: Peer;
  test.beforeAll(async () => {
    peer = await startPeer();
    other = await startPeer();
  });
  test.afterAll(() => {
    peer.socket.close();
    other.socket.close();
  });

  test('binds, sends to a peer, sees its reply with its address, replies to sender from Peers', async ({
    app,
  }, testInfo) => {
    await openUdp(app);
    await bind(app);
    await expect(app.getByRole('status', { name: 'Session state' })).toHaveText('Bound');
    const info = app.getByRole('region', { name: 'Socket info' });
    await expect(info).toContainText('SOCK_DGRAM');

    await app.getByLabel('Destination host', { exact: true }).fill('127.0.0.1');
    await app.getByLabel('Destination port', { exact: true }).fill(String(peer.port));
    await app.getByLabel('Payload', { exact: true }).fill('hello udp');
    await app.getByRole('button', { name: 'Send', exact: true }).click();

    const log = app.getByRole('region', { name: 'Packet log' });
    await expect(log.getByRole('row').filter({ hasText: 'ack:hello udp' })).toHaveCount(1);
    await expect(log.getByRole('row').filter({ hasText: 'ack:hello udp' }).first()).toContainText(
      `127.0.0.1:${peer.port}`,
    );

    // The peer saw our bound port: every send leaves from the bound socket.
    await expect.poll(() => peer.received.length).toBe(1);
    await expect(info).toContainText(`127.0.0.1:${peer.received[0]!.from.port}`);

    // A second sender appears in Peers; "Reply" makes it the destination.
    const ours = peer.received[0]!.from.port;
    other.socket.send('from other', ours, '127.0.0.1');
    const peers = app.getByRole('region', { name: 'Peers' });
    await expect(peers).toContainText(`127.0.0.1:${other.port}`);
    await expect(peers).toContainText(`127.0.0.1:${peer.port}`);
    await peers.getByRole('button', { name: `Reply to 127.0.0.1:${other.port}` }).click();
    await expect(app.getByLabel('Destination port', { exact: true })).toHaveValue(
      String(other.port),
    );
    await app.getByLabel('Payload', { exact: true }).fill('back to you');
    await app.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => other.received.map((entry) => entry.text)).toContain('back to you');

    // The log filtered by one peer shows only that peer's datagrams.
    await peers
      .getByRole('button', { name: `Show only 127.0.0.1:${other.port} in the log` })
      .click();
    await expect(log.getByRole('row').filter({ hasText: 'ack:hello udp' })).toHaveCount(0);
    // Our datagram to it and its answer, and the one it sent first.
    await expect(log.getByRole('row').filter({ hasText: 'back to you' })).toHaveCount(2);
    await expect(log.getByRole('row').filter({ hasText: 'from other' })).toHaveCount(1);
    await log.getByRole('button', { name: 'Show every peer' }).click();
    await expect(log.getByRole('row').filter({ hasText: 'ack:hello udp' })).toHaveCount(1);

    // 1440 × 1250 holds the whole screen (the README's picture); then the sizes people use.
    for (const [width, height] of [
      [1440, 1250],
      [1280, 800],
      [900, 600],
    ] as const) {
      await app.setViewportSize({ width, height });
      const path = await screenshot(app, `udp-${width}`, testInfo.project.name);
      await testInfo.attach(`udp screen ${width}`, { path, contentType: 'image/png' });
    }
  });

  test('errors in words: broadcast without the option, a bad port in the form, address in use', async ({
    app,
  }) => {
    await openUdp(app);
    await bind(app);
    await expect(app.getByRole('status', { name: 'Session state' })).toHaveText('Bound');
    await app.getByLabel('Destination host', { exact: true }).fill('255.255.255.255');
    await app.getByLabel('Destination port', { exact: true }).fill('9');
    await app.getByLabel('Payload', { exact: true }).fill('everyone?');
    await app.getByRole('button', { name: 'Send', exact: true }).click();
    await expect(app.getByRole('alert').first()).toContainText(
      'Broadcast option (SO_BROADCAST) is off',
    );
    await expect(app.getByRole('alert').first()).toContainText('EACCES');

    await app.getByLabel('Destination port', { exact: true }).fill('70000');
    await app.getByRole('button', { name: 'Send', exact: true }).click();
    await expect(app.getByRole('alert').filter({ hasText: 'Destination port' })).toContainText(
      'must be from 1 to 65535',
    );

    // Binding the port a socket already holds: "address in use", and no tab is left behind.
    const taken = (await app.getByRole('region', { name: 'Socket info' }).textContent()) ?? '';
    const port = /127\.0\.0\.1:(\d+)/.exec(taken)?.[1] ?? '';
    expect(port).not.toBe('');
    const tabs = await app.getByRole('tab').count();
    await bind(app, '127.0.0.1', port);
    await expect(app.getByRole('alert').first()).toContainText('Address in use');
    await expect(app.getByRole('alert').first()).toContainText('EADDRINUSE');
    await expect(app.getByRole('tab')).toHaveCount(tabs);
  });

  test('connect() to a default peer: getpeername shows it and sends need no destination', async ({
    app,
  }) => {
    await openUdp(app);
    await bind(app);
    await expect(app.getByRole('status', { name: 'Session state' })).toHaveText('Bound');
    const options = app.getByRole('region', { name: 'Options' });
    await options.getByLabel('Default peer host', { exact: true }).fill('127.0.0.1');
    await options.getByLabel('Default peer port', { exact: true }).fill(String(peer.port));
    await options.getByRole('button', { name: 'Connect', exact: true }).click();
    const info = app.getByRole('region', { name: 'Socket info' });
    await expect(info).toContainText(`Peer (getpeername) 127.0.0.1:${peer.port}`);
    await app.getByLabel('Destination port', { exact: true }).fill('');
    await app.getByLabel('Payload', { exact: true }).fill('to my peer');
    await app.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => peer.received.map((entry) => entry.text)).toContain('to my peer');
    await app.getByRole('button', { name: 'Disconnect peer' }).click();
    await expect(info).toContainText('none (not connected)');
  });

  test('Remove asks first: Cancel keeps the socket, the dialog Remove closes it and drops the tab', async ({
    app,
  }) => {
    await openUdp(app);
    await bind(app);
    await expect(app.getByRole('status', { name: 'Session state' })).toHaveText('Bound');
    const tabs = app.getByRole('tablist', { name: 'UDP sockets' });
    const name = (await tabs.getByRole('tab', { selected: true }).innerText()).trim();
    const port = Number(/:(\d+)$/.exec(name)?.[1]);
    expect(port).toBeGreaterThan(0);

    await app.getByRole('button', { name: 'Remove', exact: true }).click();
    const dialog = app.getByRole('alertdialog', { name: `Remove ${name}?` });
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText('It is still Bound.');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toHaveCount(0);
    await expect(tabs.getByRole('tab', { name })).toHaveCount(1);
    // Still bound: a datagram to its port arrives in the log.
    const probe = createSocket('udp4');
    try {
      probe.send('still here', port, '127.0.0.1');
      const log = app.getByRole('region', { name: 'Packet log' });
      await expect(log.getByRole('row').filter({ hasText: 'still here' })).toHaveCount(1);

      await app.getByRole('button', { name: 'Remove', exact: true }).click();
      await dialog.getByRole('button', { name: 'Remove', exact: true }).click();
      await expect(tabs.getByRole('tab', { name })).toHaveCount(0);
      // The port is free again: the socket was closed, not only hidden.
      const rebind = createSocket('udp4');
      await new Promise<void>((resolve, reject) => {
        rebind.once('error', reject);
        rebind.bind(port, '127.0.0.1', resolve);
      });
      rebind.close();
    } finally {
      probe.close();
    }
  });

  test('a ping → pong responder rule answers a test client at its own address', async ({ app }) => {
    await openUdp(app);
    await bind(app);
    await expect(app.getByRole('status', { name: 'Session state' })).toHaveText('Bound');
    const tabName = await app.getByRole('tab', { selected: true }).innerText();
    const port = Number(/:(\d+)$/.exec(tabName.trim())?.[1]);
    const rules = app.getByRole('region', { name: 'Reply rules' });
    await rules.getByRole('button', { name: '+ ping → pong' }).click();
    await expect(rules.getByRole('checkbox', { name: 'Rule ping → pong on' })).toBeChecked();

    // The test client: its own socket, so the answer must come back to its address.
    const client = createSocket('udp4');
    const got: { text: string; from: RemoteInfo }[] = [];
    client.on('message', (message, from) => got.push({ text: message.toString('latin1'), from }));
    await new Promise<void>((resolve) => client.bind(0, '127.0.0.1', resolve));
    try {
      client.send('ping', port, '127.0.0.1');
      await expect.poll(() => got.map((entry) => entry.text)).toEqual(['pong']);
      expect(got[0]!.from.port).toBe(port);
      await expect(rules.getByRole('row').filter({ hasText: 'ping → pong' })).toContainText('1');
      const log = app.getByRole('region', { name: 'Packet log' });
      await expect(log.getByText('rule "ping → pong"')).toBeVisible();
      // Other datagrams get no answer.
      client.send('hello', port, '127.0.0.1');
      await expect(log.getByRole('row').filter({ hasText: 'hello' })).toHaveCount(1);
      expect(got).toHaveLength(1);
    } finally {
      client.close();
    }
  });

  test('a heartbeat to an answering loopback peer shows its RTT; bound with one from the form', async ({
    app,
  }, testInfo) => {
    // A peer that answers each "ping" with "pong" after 20 ms, until it is closed (a send
    // on a closed socket throws, and a throw in a timer fails the run, not just this test).
    const answering = createSocket('udp4');
    let closed = false;
    answering.on('message', (message, from) => {
      if (message.toString() === 'ping')
        setTimeout(() => {
          if (!closed) answering.send('pong', from.port, from.address);
        }, 20);
    });
    await new Promise<void>((resolve) => answering.bind(0, '127.0.0.1', resolve));
    const answeringPort = answering.address().port;
    try {
      await openUdp(app);
      // From the panel, to a destination typed there.
      await bind(app);
      await expect(app.getByRole('status', { name: 'Session state' })).toHaveText('Bound');
      const region = app.getByRole('region', { name: 'Heartbeat' });
      await region.getByRole('button', { name: 'Heartbeat settings' }).click();
      const group = region.getByRole('group', { name: 'Heartbeat' });
      await group.getByLabel('Heartbeat destination host').fill('127.0.0.1');
      await group.getByLabel('Heartbeat destination port').fill(String(answeringPort));
      await group.getByLabel('Interval (ms)').fill('200');
      await group.getByLabel('Payload', { exact: true }).fill('ping');
      await group.getByLabel('Expected reply').fill('pong');
      // A UDP socket has nothing to reconnect: the choice is not offered.
      await expect(group.getByLabel('When dead').locator('option')).toHaveText([
        'mark it',
        'close the socket',
      ]);
      await group.getByRole('switch', { name: 'Heartbeat on' }).check();
      const rtt = region.getByRole('status', { name: 'Round-trip time' });
      await expect(rtt).toHaveText(/\d+(\.\d+)? ms/, { timeout: 10_000 });
      const value = Number(/([\d.]+) ms/.exec((await rtt.textContent()) ?? '')![1]);
      expect(value).toBeGreaterThanOrEqual(19);
      await expect(region).toContainText('min/avg/max/mdev');

      for (const [width, height] of [
        [1280, 800],
        [900, 600],
      ] as const) {
        await app.setViewportSize({ width, height });
        // The open form scrolls inside its pane; the window itself never scrolls (hidden
        // labels placed against the page once made it 632 px taller than the window).
        expect(
          await app.evaluate(() => document.documentElement.scrollHeight - window.innerHeight),
        ).toBeLessThanOrEqual(0);
        await region.scrollIntoViewIfNeeded();
        const path = await screenshot(app, `udp-heartbeat-${width}`, testInfo.project.name);
        await testInfo.attach(`udp heartbeat ${width}`, { path, contentType: 'image/png' });
      }
      await app.setViewportSize({ width: 1280, height: 800 });

      // From the bind form: the socket beats from the moment it is bound.
      await app.getByRole('tab', { name: /New socket/ }).click();
      await app.getByLabel('Local address', { exact: true }).fill('127.0.0.1');
      await app.getByLabel('Local port', { exact: true }).fill('0');
      await app.getByText('Heartbeat (starts once bound)').click();
      const bindGroup = app.getByRole('group', { name: 'Heartbeat' });
      await bindGroup.getByLabel('Heartbeat destination host').fill('127.0.0.1');
      await bindGroup.getByLabel('Heartbeat destination port').fill(String(answeringPort));
      await bindGroup.getByLabel('Interval (ms)').fill('200');
      await bindGroup.getByLabel('Expected reply').fill('pong');
      await bindGroup.getByRole('switch', { name: 'Heartbeat on' }).check();
      await app.getByRole('button', { name: 'Bind', exact: true }).click();
      await expect(app.getByRole('status', { name: 'Session state' })).toHaveText('Bound');
      await expect(
        app
          .getByRole('region', { name: 'Heartbeat' })
          .getByRole('status', { name: 'Round-trip time' }),
      ).toHaveText(/\d+(\.\d+)? ms/, { timeout: 10_000 });

      // With neither a destination nor a default peer, the bind is refused naming the field.
      await app.getByRole('tab', { name: /New socket/ }).click();
      await app.getByText('Heartbeat (starts once bound)').click();
      const again = app.getByRole('group', { name: 'Heartbeat' });
      await again.getByLabel('Heartbeat destination host').fill('');
      await again.getByLabel('Heartbeat destination port').fill('');
      await again.getByRole('switch', { name: 'Heartbeat on' }).check();
      await app.getByRole('button', { name: 'Bind', exact: true }).click();
      await expect(app.getByRole('alert').filter({ hasText: 'heartbeat.to' })).toContainText(
        'no destination for the heartbeat',
      );
    } finally {
      closed = true;
      answering.close();
    }
  });

  test('joins a multicast group on loopback and receives a datagram sent to it', async ({
    app,
  }, testInfo) => {
    test.setTimeout(60_000);
    // Kept on this host: the sender's multicast interface is loopback and its TTL 0.
    const sender = createSocket('udp4');
    await new Promise<void>((resolve) => sender.bind(0, '127.0.0.1', resolve));
    sender.setMulticastInterface('127.0.0.1');
    sender.setMulticastTTL(0);
    try {
      await openUdp(app);
      await bind(app, '0.0.0.0');
      await expect(app.getByRole('status', { name: 'Session state' })).toHaveText('Bound');
      const info = (await app.getByRole('region', { name: 'Socket info' }).textContent()) ?? '';
      const port = Number(/0\.0\.0\.0:(\d+)/.exec(info)?.[1]);
      const multicast = app.getByRole('region', { name: 'Multicast' });
      await multicast.getByLabel('Group', { exact: true }).fill('239.255.77.3');
      await multicast
        .getByLabel('Interface', { exact: true })
        .selectOption({ label: 'lo · 127.0.0.1' });
      await multicast.getByRole('button', { name: 'Join', exact: true }).click();
      const memberships = multicast.getByRole('region', { name: 'Memberships' });
      const joined = await expect(memberships.getByText('239.255.77.3'))
        .toBeVisible({ timeout: 5000 })
        .then(() => true)
        .catch(() => false);
      if (!joined) {
        const why =
          (await app
            .getByRole('alert')
            .first()
            .textContent()
            .catch(() => null)) ?? '';
        console.log(`skipped: this machine refused a multicast join on loopback: ${why}`);
        test.skip(true, `multicast join on loopback refused here: ${why}`);
      }
      await expect(memberships).toContainText('any source');
      // Sent again until it shows (at most 20 times): one lost datagram must not fail the test.
      const rows = app
        .getByRole('region', { name: 'Packet log' })
        .getByRole('row')
        .filter({ hasText: 'to the group' });
      await expect
        .poll(
          async () => {
            sender.send('to the group', port, '239.255.77.3');
            return rows.count();
          },
          { timeout: 15_000, intervals: [750] },
        )
        .toBeGreaterThan(0);
      await multicast.getByRole('button', { name: 'Leave all' }).click();
      await expect(memberships).toContainText('No group joined.');
      const path = await screenshot(app, 'udp-multicast', testInfo.project.name);
      await testInfo.attach('udp multicast', { path, contentType: 'image/png' });
    } finally {
      sender.close();
    }
  });

  test('speaks Simplified Chinese on the UDP screen', async ({ app }, testInfo) => {
    await app.getByLabel('Language').selectOption('zh-CN');
    await app.getByRole('navigation').getByRole('button', { name: 'UDP', exact: true }).click();
    await expect(app.getByRole('heading', { name: 'UDP 套接字' })).toBeVisible();
    await app.getByRole('tab', { name: /新建套接字/ }).click();
    await app.getByLabel('本地地址', { exact: true }).fill('127.0.0.1');
    await app.getByRole('button', { name: '绑定', exact: true }).click();
    await expect(app.getByRole('status', { name: '会话状态' })).toHaveText('已绑定');
    await app.getByLabel('目的主机', { exact: true }).fill('127.0.0.1');
    await app.getByLabel('目的端口', { exact: true }).fill(String(peer.port));
    await app.getByLabel('数据', { exact: true }).fill('你好');
    await app.getByRole('button', { name: '发送', exact: true }).click();
    const peers = app.getByRole('region', { name: '对端' });
    await expect(peers).toContainText(`127.0.0.1:${peer.port}`);
    for (const [width, height] of [
      [1280, 800],
      [900, 600],
    ] as const) {
      await app.setViewportSize({ width, height });
      const path = await screenshot(app, `udp-zh-${width}`, testInfo.project.name);
      await testInfo.attach(`udp screen zh ${width}`, { path, contentType: 'image/png' });
    }
    await app.getByLabel('语言').selectOption('en');
  });
});
