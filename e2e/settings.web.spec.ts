import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPeer } from '../tests/support/peers';
import { expect, startWebHostProcess, stopProcess, test } from './fixtures';

const shots = join(import.meta.dirname, '..', 'test-results', 'screenshots');

test.describe('state that survives a restart of start:web', () => {
  test('keeps the language, recent lookups and send history in --data-dir', async ({ page }) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sockscope-data-'));
    const echo = await startPeer();
    try {
      const first = await startWebHostProcess(['--data-dir', dataDir]);
      await page.goto(first.url);
      await page.getByLabel('Host', { exact: true }).fill('localhost');
      await page.getByRole('button', { name: 'Resolve' }).click();
      const recent = page.getByRole('complementary', { name: 'Recent lookups' });
      await expect(recent.getByText('getaddrinfo(localhost)')).toBeVisible();

      await page.getByRole('navigation').getByRole('button', { name: 'TCP client' }).click();
      await page.getByLabel('Host', { exact: true }).fill('127.0.0.1');
      await page.getByLabel('Port', { exact: true }).fill(String(echo.port));
      await page.getByRole('button', { name: 'Connect', exact: true }).click();
      await expect(page.getByRole('status', { name: 'Session state' })).toHaveText('Connected');
      await page.getByLabel('Payload', { exact: true }).fill('persist-me');
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      await page.getByLabel('Language').selectOption('zh-CN');
      await expect(page.getByRole('navigation', { name: '主导航' })).toBeVisible();
      expect(await stopProcess(first.child)).toBe(0);
      const saved = JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8')) as {
        values: { language: string };
      };
      expect(saved.values.language).toBe('zh-CN');

      // A new run, a new port and token, the same data directory.
      const second = await startWebHostProcess(['--data-dir', dataDir]);
      expect(second.url).not.toBe(first.url);
      await page.goto(second.url);
      await expect(page.getByRole('navigation', { name: '主导航' })).toBeVisible();
      await expect(
        page.getByRole('complementary', { name: '最近的查询' }).getByText('getaddrinfo(localhost)'),
      ).toBeVisible();
      await page.getByLabel('语言').selectOption('en');
      await page.getByRole('navigation').getByRole('button', { name: 'TCP client' }).click();
      await page.getByLabel('Host', { exact: true }).fill('127.0.0.1');
      await page.getByLabel('Port', { exact: true }).fill(String(echo.port));
      await page.getByRole('button', { name: 'Connect', exact: true }).click();
      await expect(page.getByRole('status', { name: 'Session state' })).toHaveText('Connected');
      const payload = page.getByLabel('Payload', { exact: true });
      await payload.focus();
      await payload.press('ArrowUp');
      await expect(payload).toHaveValue('persist-me');
      expect(await stopProcess(second.child)).toBe(0);
    } finally {
      await echo.close();
    }
  });

  test('moves a corrupt settings file aside and says so once', async ({ page }, testInfo) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sockscope-data-'));
    writeFileSync(join(dataDir, 'settings.json'), '{"version": 1, "values": {"language": 7}}');
    const host = await startWebHostProcess(['--data-dir', dataDir]);
    try {
      await page.goto(host.url);
      const alert = page.getByRole('alert').filter({ hasText: 'Saved settings could not be read' });
      await expect(alert).toContainText(`${join(dataDir, 'settings.json')} was moved to`);
      await expect(alert).toContainText('settings.json.bad');
      await expect(alert).toContainText('values.language');
      expect(existsSync(join(dataDir, 'settings.json.bad'))).toBe(true);
      mkdirSync(shots, { recursive: true });
      await page.setViewportSize({ width: 900, height: 600 });
      await page.screenshot({
        path: join(shots, `settings-corrupt-en-${testInfo.project.name}.png`),
      });
      await page.getByLabel('Language').selectOption('zh-CN');
      await expect(alert).toHaveCount(0);
      const chinese = page.getByRole('alert').filter({ hasText: '无法读取已保存的设置' });
      await expect(chinese).toContainText('已被移到');
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.screenshot({
        path: join(shots, `settings-corrupt-zh-${testInfo.project.name}.png`),
      });
      await chinese.getByRole('button', { name: '关闭' }).click();
      await expect(chinese).toHaveCount(0);

      // Said once: a reload does not repeat it, and the engine saved anew.
      await page.reload();
      await expect(page.getByRole('navigation', { name: '主导航' })).toBeVisible();
      await expect(page.getByRole('alert')).toHaveCount(0);
      expect(JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8'))).toMatchObject({
        values: { language: 'zh-CN' },
      });
    } finally {
      await stopProcess(host.child);
    }
  });
});
