import { mkdirSync } from 'node:fs';
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
