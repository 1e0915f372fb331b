import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { connectClient } from '../tests/support/clients';
import type { TestClient } from '../tests/support/clients';
import { expect, test } from './fixtures';

async function openTcpServer(app: Page): Promise<void> {
  await app.getByRole('navigation').getByRole('button', { name: 'TCP server' }).click();
  await expect(app.getByRole('heading', { name: 'TCP server' })).toBeVisible();
}

/** Starts a server from the form; returns the port the OS granted. */
async function listen(app: Page, port = 0): Promise<number> {
  await app.getByRole('tab', { name: /New server/ }).click();
  await app.getByLabel('Local address', { exact: true }).fill('127.0.0.1');
  await app.getByLabel('Local port', { exact: true }).fill(String(port));
  await app.getByRole('button', { name: 'Listen', exact: true }).click();
  await expect(app.getByRole('status', { name: 'Session state' })).toHaveText('Listening');
  const target = await app.locator('.session-target').innerText();
  return Number(/:(\d+)$/.exec(target)?.[1]);
}

async function screenshot(app: Page, name: string): Promise<void> {
  const shots = join(import.meta.dirname, '..', 'test-results', 'screenshots');
  mkdirSync(shots, { recursive: true });
  await app.screenshot({ path: join(shots, name), fullPage: true });
}

test.describe('TCP server', () => {
  const clients: TestClient[] = [];
  test.afterEach(() => {
    for (const client of clients.splice(0)) client.socket.destroy();
  });

  test('lists three clients, sends to one and to all, kicks one, switches modes', async ({
    app,
  }, testInfo) => {
    await openTcpServer(app);
    const port = await listen(app);
    expect(port).toBeGreaterThan(0);
    for (let i = 0; i < 3; i++) clients.push(await connectClient(port));
    const [first, second, third] = clients as [TestClient, TestClient, TestClient];

    const list = app.getByRole('region', { name: 'Clients' });
    const row = (client: TestClient) =>
      list.getByRole('option', { name: `127.0.0.1:${client.localPort}`, exact: true });
    for (const client of clients) await expect(row(client)).toBeVisible();

    // Send to one: click it (the log then shows that client only), then Send.
    await row(first).click();
    await expect(row(first)).toHaveAttribute('aria-selected', 'true');
    await app.getByLabel('Payload', { exact: true }).fill('just you\\n');
    await app.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => first.received().toString()).toBe('just you\n');
    const log = app.getByRole('region', { name: 'Packet log' });
    await expect(log.getByRole('row').filter({ hasText: 'just you' })).toHaveCount(1);
    await expect(log.getByLabel('Session')).toHaveValue(/\.1$/);

    // Send to all.
    await app.getByLabel('Payload', { exact: true }).fill('everyone\\n');
    await app.getByRole('button', { name: 'Send to all', exact: true }).click();
    for (const client of clients)
      await expect.poll(() => client.received().toString()).toContain('everyone\n');
    expect(second.received().toString()).toBe('everyone\n');
    expect(third.received().toString()).toBe('everyone\n');

    // Kick the second (FIN) and reset the third (RST).
    await row(second).click();
    await app.getByRole('button', { name: 'Disconnect', exact: true }).click();
    expect(await second.ended).toBe('fin');
    second.socket.end();
    await row(third).click();
    await app.getByRole('button', { name: 'Reset', exact: true }).click();
    expect(await third.ended).toBe('ECONNRESET');
    await expect(row(second)).toContainText('Closed');
    await expect(row(third)).toContainText('Closed');
    await expect(list.getByRole('status')).toContainText('1 connected');

    // Switch to echo while running: the first client gets back what it sends.
    await app.getByLabel('Mode', { exact: true }).selectOption('Echo');
    await expect
      .poll(async () => {
        first.socket.write('ping?');
        await new Promise((resolve) => setTimeout(resolve, 100));
        return first.received().toString().includes('ping?');
      })
      .toBe(true);

    // ...and to one request, one answer: the composer's payload is the answer.
    await app.getByLabel('Payload', { exact: true }).fill('bye\\r\\n');
    await app.getByLabel('Mode', { exact: true }).selectOption('One request, one answer');
    await expect(app.getByRole('region', { name: 'Server' })).toContainText('bye\\r\\n');
    const asker = await connectClient(port);
    clients.push(asker);
    asker.socket.write('question\n');
    expect(await asker.ended).toBe('fin');
    expect(asker.received().toString()).toBe('bye\r\n');

    await app.setViewportSize({ width: 1280, height: 800 });
    await screenshot(app, `tcp-server-${testInfo.project.name}-1280x800-en.png`);
    await app.getByLabel('Language').selectOption('zh-CN');
    await expect(app.getByRole('heading', { name: 'TCP 服务器' })).toBeVisible();
    await expect(app.getByRole('region', { name: '客户端', exact: true })).toBeVisible();
    await screenshot(app, `tcp-server-${testInfo.project.name}-1280x800-zh.png`);
    await app.setViewportSize({ width: 900, height: 600 });
    await screenshot(app, `tcp-server-${testInfo.project.name}-900x600-zh.png`);
    await app.getByLabel('语言').selectOption('en');
    await screenshot(app, `tcp-server-${testInfo.project.name}-900x600-en.png`);
  });

  test('Remove asks first; Cancel keeps the server, Remove closes it and its clients', async ({
    app,
  }, testInfo) => {
    await openTcpServer(app);
    const port = await listen(app);
    const client = await connectClient(port);
    clients.push(client);
    const list = app.getByRole('region', { name: 'Clients' });
    await expect(list.getByRole('status')).toContainText('1 connected');

    await app.getByRole('button', { name: 'Remove', exact: true }).click();
    const dialog = app.getByRole('alertdialog');
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText(`127.0.0.1:${port}`);
    await expect(dialog).toContainText('1 connected client(s) will be disconnected.');
    await app.setViewportSize({ width: 900, height: 600 });
    await screenshot(app, `tcp-server-remove-${testInfo.project.name}-900x600-en.png`);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
    await expect(app.getByRole('status', { name: 'Session state' })).toHaveText('Listening');
    await expect(app.getByRole('tab', { name: new RegExp(`:${port}$`) })).toBeVisible();

    // Escape cancels too.
    await app.getByRole('button', { name: 'Remove', exact: true }).click();
    await expect(dialog).toBeVisible();
    await app.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(app.getByRole('tab', { name: new RegExp(`:${port}$`) })).toBeVisible();

    await app.getByRole('button', { name: 'Remove', exact: true }).click();
    await dialog.getByRole('button', { name: 'Remove' }).click();
    await expect(app.getByRole('tab', { name: new RegExp(`:${port}$`) })).toHaveCount(0);
    expect(['fin', 'close', 'ECONNRESET']).toContain(await client.ended);
    // The port is free again: nothing listens on it.
    const probe = createServer();
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen(port, '127.0.0.1', resolve);
    });
    probe.close();
  });

  test('keeps a thousand clients in a virtualized list that scrolls to the last', async ({
    app,
  }) => {
    await openTcpServer(app);
    const port = await listen(app);
    const many = await Promise.all(Array.from({ length: 1000 }, () => connectClient(port)));
    clients.push(...many);
    const list = app.getByRole('region', { name: 'Clients' });
    await expect(list.getByRole('status')).toContainText('1000 connected', { timeout: 30_000 });
    // Only the rows in view exist, however many clients there are.
    expect(await list.getByRole('option').count()).toBeLessThan(40);
    // Scrolled to the end, the rows are others (the newest accepted), still few.
    const names = async () =>
      list.getByRole('option').evaluateAll((rows) => rows.map((row) => row.ariaLabel ?? ''));
    const before = await names();
    await list.getByRole('listbox').evaluate((viewport) => {
      viewport.scrollTop = viewport.scrollHeight;
    });
    await expect
      .poll(async () => (await names()).some((name) => before.includes(name)))
      .toBe(false);
    const after = await names();
    expect(after.length).toBeGreaterThan(0);
    expect(after.length).toBeLessThan(40);
    const ports = new Set(many.map((client) => `127.0.0.1:${client.localPort}`));
    expect(after.every((name) => ports.has(name))).toBe(true);
    // Select all, then Close all: every client gets a FIN.
    await list.getByRole('button', { name: 'Select all' }).click();
    await expect(list.getByRole('status')).toContainText('1000 selected');
    await app.getByRole('button', { name: 'Close all', exact: true }).click();
    const endings = await Promise.all(many.map((client) => client.ended));
    expect(endings.every((how) => how === 'fin')).toBe(true);
  });

  test('says in words why it cannot listen, and refuses bad input by field', async ({ app }) => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const taken = (holder.address() as AddressInfo).port;
    try {
      await openTcpServer(app);
      await app.getByRole('tab', { name: /New server/ }).click();
      await app.getByLabel('Local address', { exact: true }).fill('127.0.0.1');
      await app.getByLabel('Local port', { exact: true }).fill(String(taken));
      await app.getByRole('button', { name: 'Listen', exact: true }).click();
      const alert = app.getByRole('alert');
      await expect(alert).toContainText(
        `Cannot listen on 127.0.0.1:${taken}: address already in use`,
      );
      await expect(alert).toContainText('EADDRINUSE');
      await app.setViewportSize({ width: 900, height: 600 });
      await screenshot(app, 'tcp-server-new-900x600-en.png');
      await app.getByLabel('Language').selectOption('zh-CN');
      await expect(app.getByRole('button', { name: '开始监听' })).toBeVisible();
      await expect(app.getByRole('alert')).toContainText(
        `无法在 127.0.0.1:${taken} 上监听：地址已被占用`,
      );
      await screenshot(app, 'tcp-server-new-900x600-zh.png');
      await app.getByLabel('语言').selectOption('en');

      await app.getByLabel('Local port', { exact: true }).fill('70000');
      await app.getByRole('button', { name: 'Listen', exact: true }).click();
      await expect(app.getByRole('alert')).toContainText('Local port: must be from 0 to 65535');
      await app.getByLabel('Local port', { exact: true }).fill('0');
      await app.getByLabel('Local address', { exact: true }).fill('not-an-address');
      await app.getByRole('button', { name: 'Listen', exact: true }).click();
      await expect(app.getByRole('alert')).toContainText('Local address:');
    } finally {
      holder.close();
    }
  });
});

test.describe('TCP server heartbeats and reply rules', () => {
  const clients: TestClient[] = [];
  test.afterEach(() => {
    for (const client of clients.splice(0)) client.socket.destroy();
  });

  test('a ping → pong responder rule answers a test client on its own connection', async ({
    app,
  }) => {
    await openTcpServer(app);
    const port = await listen(app);
    const rules = app.getByRole('region', { name: 'Reply rules' });
    await rules.getByRole('button', { name: '+ ping → pong' }).click();
    await expect(rules.getByRole('checkbox', { name: 'Rule ping → pong on' })).toBeChecked();

    const asker = await connectClient(port);
    const bystander = await connectClient(port);
    clients.push(asker, bystander);
    asker.socket.write('ping');
    await expect.poll(() => asker.received().toString()).toBe('pong');
    await expect(rules.getByRole('row').filter({ hasText: 'ping → pong' })).toContainText('1');
    // The other client got nothing: the reply goes to the one that asked.
    expect(bystander.received().length).toBe(0);
    const log = app.getByRole('region', { name: 'Packet log' });
    await expect(log.getByText('rule "ping → pong"')).toBeVisible();
  });

  test('a heartbeat from the listen form shows each client its RTT, and a silent client goes Dead', async ({
    app,
  }, testInfo) => {
    test.setTimeout(60_000);
    await openTcpServer(app);
    await app.getByRole('tab', { name: /New server/ }).click();
    await app.getByLabel('Local address', { exact: true }).fill('127.0.0.1');
    await app.getByLabel('Local port', { exact: true }).fill('0');
    await app.getByText('Heartbeat', { exact: true }).click();
    const group = app.getByRole('group', { name: 'Heartbeat' });
    await group.getByRole('switch', { name: 'Heartbeat on' }).check();
    await group.getByLabel('Interval (ms)').fill('200');
    await group.getByLabel('Payload', { exact: true }).fill('ping');
    await group.getByLabel('Expected reply').fill('pong');
    await group.getByLabel('Missed replies before dead').fill('2');
    await app.setViewportSize({ width: 900, height: 600 });
    await screenshot(app, `tcp-server-listen-hb-${testInfo.project.name}-900x600-en.png`);
    await app.getByLabel('Language').selectOption('zh-CN');
    await expect(app.getByRole('group', { name: '心跳' })).toBeVisible();
    await screenshot(app, `tcp-server-listen-hb-${testInfo.project.name}-900x600-zh.png`);
    await app.getByLabel('语言').selectOption('en');
    await app.setViewportSize({ width: 1280, height: 800 });
    await app.getByRole('button', { name: 'Listen', exact: true }).click();
    await expect(app.getByRole('status', { name: 'Session state' })).toHaveText('Listening');
    const target = await app.locator('.session-target').innerText();
    const port = Number(/:(\d+)$/.exec(target)?.[1]);

    const answering = { on: true };
    const client = await connectClient(port);
    clients.push(client);
    client.socket.on('data', (chunk: Buffer) => {
      const pings = chunk.toString().split('ping').length - 1;
      for (let i = 0; i < pings; i++)
        setTimeout(() => {
          // A write on an ended socket fails the run from a timer: only while it is open.
          if (answering.on && client.socket.writable) client.socket.write('pong');
        }, 20);
    });
    const list = app.getByRole('region', { name: 'Clients' });
    const row = list.getByRole('option', { name: `127.0.0.1:${client.localPort}`, exact: true });
    await row.click();
    const facts = app.getByRole('region', { name: `Client 127.0.0.1:${client.localPort}` });
    await expect(facts.getByLabel('Round-trip time')).toContainText(/last \d+\.\d+ · min/);
    const rtt = Number(
      /last (\d+\.\d+)/.exec(await facts.getByLabel('Round-trip time').innerText())![1],
    );
    expect(rtt).toBeGreaterThanOrEqual(19);
    const region = app.getByRole('region', { name: 'Heartbeat' });
    await expect(region).toContainText('on each client');
    await expect(region.getByRole('status')).toContainText('1 client(s) · 0 dead now');

    for (const size of [
      { width: 1280, height: 800 },
      { width: 900, height: 600 },
    ])
      for (const theme of ['light', 'dark'] as const)
        for (const locale of ['en', 'zh-CN'] as const) {
          await app.setViewportSize(size);
          await app.getByLabel(/^(Theme|主题)$/).selectOption(theme);
          await app.getByLabel(/^(Language|语言)$/).selectOption(locale);
          // The facts and the heartbeat summary in view (the screen's upper pane scrolls).
          await app.locator('.heartbeat-panel').scrollIntoViewIfNeeded();
          await screenshot(
            app,
            `tcp-server-hb-${testInfo.project.name}-${size.width}x${size.height}-${theme}-${locale}.png`,
          );
        }
    await app.getByLabel('主题').selectOption('system');
    await app.getByLabel('语言').selectOption('en');

    // The server's heartbeat settings offer mark or close, not reconnect.
    await app.setViewportSize({ width: 1280, height: 800 });
    await region.getByRole('button', { name: 'Heartbeat settings' }).click();
    const whenDead = region.getByLabel('When dead');
    await expect(whenDead.locator('option')).toHaveText(['mark it', 'close the connection']);
    await region.scrollIntoViewIfNeeded();
    await screenshot(app, `tcp-server-hb-settings-${testInfo.project.name}-1280x800-en.png`);

    answering.on = false;
    await expect(row).toContainText('Dead', { timeout: 10_000 });
    await expect(facts).toContainText('Dead');
    await expect(region.getByRole('status')).toContainText('1 dead now');
  });
});
