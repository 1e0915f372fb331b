import { mkdirSync } from 'node:fs';
import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { connectClient } from '../tests/support/clients';
import type { TestClient } from '../tests/support/clients';
import { startPeer } from '../tests/support/peers';
import type { TestPeer } from '../tests/support/peers';
import { expect, test } from './fixtures';

const shots = join(import.meta.dirname, '..', 'test-results', 'screenshots');
const themes = ['light', 'dark'] as const;
const locales = [
  {
    locale: 'en',
    lookups: 'Lookups',
    tcpClient: 'TCP client',
    newConnection: 'New connection',
    tcpServer: 'TCP server',
    heartbeat: 'Heartbeat',
    heartbeatOn: 'Heartbeat on',
    heartbeatSettings: 'Heartbeat settings',
    listen: 'Listen',
    clients: 'Clients',
    newSocket: 'New socket',
    localAddress: 'Local address',
    bind: 'Bind',
    bindHeartbeat: 'Heartbeat (starts once bound)',
    peers: 'Peers',
  },
  {
    locale: 'zh-CN',
    lookups: '查询',
    tcpClient: 'TCP 客户端',
    newConnection: '新建连接',
    tcpServer: 'TCP 服务器',
    heartbeat: '心跳',
    heartbeatOn: '开启心跳',
    heartbeatSettings: '心跳设置',
    listen: '开始监听',
    clients: '客户端',
    newSocket: '新建套接字',
    localAddress: '本地地址',
    bind: '绑定',
    bindHeartbeat: '心跳（绑定后开始）',
    peers: '对端',
  },
] as const;

/** Every rule axe has for WCAG 2.x A and AA, colour contrast included. */
async function expectNoViolations(app: Page, where: string): Promise<void> {
  const results = await new AxeBuilder({ page: app })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  const found = results.violations.map((violation) => ({
    rule: violation.id,
    nodes: violation.nodes.map((node) => `${node.target.join(' ')}: ${node.failureSummary}`),
  }));
  expect(found, where).toEqual([]);
}

test.describe('Accessibility', () => {
  let echo: TestPeer;
  test.beforeAll(async () => {
    echo = await startPeer();
  });
  test.afterAll(async () => echo.close());
  const clients: TestClient[] = [];
  test.afterEach(() => {
    for (const client of clients.splice(0)) client.socket.destroy();
  });

  for (const theme of themes) {
    for (const words of locales) {
      test(`axe finds nothing on any screen: ${theme} theme, ${words.locale}`, async ({ app }) => {
        test.setTimeout(90_000);
        mkdirSync(shots, { recursive: true });
        await app.setViewportSize({ width: 1280, height: 800 });
        // Both are settings the engine keeps: chosen in the sidebar, put back at the end.
        await app.getByLabel('Theme', { exact: true }).selectOption(theme);
        await app.getByLabel('Language', { exact: true }).selectOption(words.locale);
        await expect(app.locator('html')).toHaveAttribute('data-theme', theme);
        const nav = app.getByRole('navigation');

        await nav.getByRole('button', { name: words.lookups }).click();
        for (const tab of await app.getByRole('tablist').first().getByRole('tab').all()) {
          await tab.click();
          await expectNoViolations(
            app,
            `${theme} ${words.locale} lookups ${await tab.innerText()}`,
          );
        }

        await nav.getByRole('button', { name: words.tcpClient }).click();
        await expectNoViolations(app, `${theme} ${words.locale} TCP client, connect form`);

        await app
          .getByLabel(words.locale === 'en' ? 'Port' : '端口', { exact: true })
          .fill(String(echo.port));
        await app
          .getByLabel(words.locale === 'en' ? 'Port' : '端口', { exact: true })
          .press('Enter');
        const log = app.getByRole('region', {
          name: words.locale === 'en' ? 'Packet log' : '数据包日志',
        });
        await expect(log.getByRole('row').nth(2)).toBeVisible();
        const payload = app.getByLabel(words.locale === 'en' ? 'Payload' : '数据', { exact: true });
        await payload.fill('hello\\r\\n');
        await payload.press('Control+Enter');
        await expect(log.getByRole('row').filter({ hasText: 'hello' })).toHaveCount(2);
        // A selected "out" row, the record detail and the log's focus ring, all on screen.
        await log.getByRole('row').filter({ hasText: 'hello' }).first().click();
        await expectNoViolations(app, `${theme} ${words.locale} TCP client, session and detail`);
        await app.screenshot({
          path: join(shots, `a11y-${theme}-${words.locale}-1280x800.png`),
        });

        // A log longer than its pane: the grid scrolls, and the keyboard must reach it.
        const grid = log.getByRole('grid');
        for (let sent = 0; sent < 40; sent++) {
          await payload.fill(`line ${sent}`);
          await payload.press('Control+Enter');
        }
        await expect(log.getByRole('row').filter({ hasText: 'line 39' })).toHaveCount(2);
        await expect
          .poll(() => grid.evaluate((element) => element.scrollHeight - element.clientHeight))
          .toBeGreaterThan(200);
        await expectNoViolations(app, `${theme} ${words.locale} TCP client, overflowing log`);
        await app.screenshot({
          path: join(shots, `a11y-log-${theme}-${words.locale}-1280x800.png`),
        });

        // The TCP server: the listen form with its heartbeat group open, then a server
        // with a heartbeat and two clients listed, one chosen (its facts), settings open.
        await nav.getByRole('button', { name: words.tcpServer }).click();
        await app.locator('#srv-host').fill('127.0.0.1');
        await app.getByText(words.heartbeat, { exact: true }).click();
        const group = app.getByRole('group', { name: words.heartbeat });
        await group.getByRole('switch', { name: words.heartbeatOn }).check();
        // A long interval: the heartbeat is on and shown, but its beats do not fill the
        // log (an overflowing log viewport is axe's scrollable-region-focusable finding,
        // the log pane's own, reported apart).
        await app.locator('#srv-hb-interval').fill('60000');
        await expectNoViolations(app, `${theme} ${words.locale} TCP server, listen form`);
        await app.getByRole('button', { name: words.listen, exact: true }).click();
        const target = await app.locator('.session-target').innerText();
        const port = Number(/:(\d+)$/.exec(target)?.[1]);
        for (let i = 0; i < 2; i++) {
          const client = await connectClient(port);
          client.socket.on('data', () => client.socket.write('pong'));
          clients.push(client);
        }
        const list = app.getByRole('region', { name: words.clients, exact: true });
        await expect(list.getByRole('option')).toHaveCount(2);
        await list.getByRole('option').first().click();
        const region = app.getByRole('region', { name: words.heartbeat });
        await region.getByRole('button', { name: words.heartbeatSettings }).click();
        await expectNoViolations(app, `${theme} ${words.locale} TCP server, clients and heartbeat`);
        await region.scrollIntoViewIfNeeded();
        await app.screenshot({
          path: join(shots, `a11y-server-${theme}-${words.locale}-1280x800.png`),
        });
        // UDP: the bind form with its heartbeat group open, then a bound socket with a
        // peer in Peers and the heartbeat settings open.
        await nav.getByRole('button', { name: 'UDP', exact: true }).click();
        await app.getByRole('tab', { name: new RegExp(words.newSocket) }).click();
        await app.getByText(words.bindHeartbeat).click();
        await expectNoViolations(app, `${theme} ${words.locale} UDP, bind form`);
        await app.screenshot({
          path: join(shots, `a11y-udp-bind-${theme}-${words.locale}-1280x800.png`),
        });
        await app.getByText(words.bindHeartbeat).click();
        await app.getByLabel(words.localAddress, { exact: true }).fill('127.0.0.1');
        await app.getByRole('button', { name: words.bind, exact: true }).click();
        // Bound once its tab is named by the address it holds.
        await expect(app.getByRole('tab', { selected: true })).toHaveText(/:\d+$/);
        const udpTab = (await app.getByRole('tab', { selected: true }).innerText()).trim();
        const udpPort = Number(/:(\d+)$/.exec(udpTab)?.[1]);
        const sender = createSocket('udp4');
        try {
          sender.send('hello udp', udpPort, '127.0.0.1');
          const peers = app.getByRole('region', { name: words.peers });
          await expect(peers.getByRole('row')).toHaveCount(2);
        } finally {
          sender.close();
        }
        const heartbeat = app.getByRole('region', { name: words.heartbeat });
        await heartbeat.getByRole('button', { name: words.heartbeatSettings }).click();
        await expectNoViolations(app, `${theme} ${words.locale} UDP, socket, peers and heartbeat`);
        for (const [width, height] of [
          [1280, 800],
          [900, 600],
        ] as const) {
          await app.setViewportSize({ width, height });
          await app.screenshot({
            path: join(shots, `a11y-udp-${theme}-${words.locale}-${width}x${height}.png`),
          });
          await heartbeat.scrollIntoViewIfNeeded();
          await app.screenshot({
            path: join(shots, `a11y-udp-hb-${theme}-${words.locale}-${width}x${height}.png`),
          });
        }
        await app.setViewportSize({ width: 1280, height: 800 });
        await app
          .getByLabel(words.locale === 'en' ? 'Theme' : '主题', { exact: true })
          .selectOption('system');
        await app
          .getByLabel(words.locale === 'en' ? 'Language' : '语言', { exact: true })
          .selectOption('en');
      });
    }
  }
});
