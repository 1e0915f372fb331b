// Browser mode only: the web project runs this file, the electron project ignores it
// (playwright.config.ts), so no test here skips itself for being in the wrong project.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import WebSocket from 'ws';
import { maxWebPages } from '../src/shared/api';
import { electronBinary } from './electron-runtime';
import { expect, startWebHostProcess, stopProcess, test } from './fixtures';

/** Resolves with the HTTP status the upgrade got, or 101 when it was accepted. */
function upgradeStatus(url: string, origin: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, origin === undefined ? {} : { origin });
    socket.once('open', () => {
      socket.close();
      resolve(101);
    });
    socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.once('error', reject);
  });
}

test.describe('browser mode guards', () => {
  test('the WebSocket needs the token and the page own Origin', async ({ webHost }) => {
    const host = webHost!;
    const socketBase = host.origin.replace('http://', 'ws://') + '/ws';
    expect(await upgradeStatus(`${socketBase}?token=${host.token}`, host.origin)).toBe(101);
    expect(await upgradeStatus(socketBase, host.origin)).toBe(401);
    expect(await upgradeStatus(`${socketBase}?token=${'0'.repeat(48)}`, host.origin)).toBe(401);
    expect(await upgradeStatus(`${socketBase}?token=${host.token}`, 'http://evil.example')).toBe(
      403,
    );
    expect(await upgradeStatus(`${socketBase}?token=${host.token}`, undefined)).toBe(403);
  });

  test('a page opened without the token says how to get in', async ({ page, webHost }) => {
    await page.goto(webHost!.origin + '/');
    await page.getByLabel('Host', { exact: true }).fill('localhost');
    await page.getByRole('button', { name: 'Resolve' }).click();
    await expect(page.getByRole('alert')).toContainText('without its token');
  });

  test('the token leaves the address bar once read, and a reload still connects', async ({
    page,
    webHost,
  }) => {
    await page.goto(webHost!.url);
    await expect.poll(() => page.url()).toBe(`${webHost!.origin}/`);
    await page.reload();
    await page.getByLabel('Host', { exact: true }).fill('localhost');
    await page.getByRole('button', { name: 'Resolve' }).click();
    await expect(page.getByRole('region', { name: 'Results' })).toContainText('127.0.0.1');
  });

  test('one page more than the handful browser mode serves is told why', async ({
    page,
    webHost,
  }) => {
    const others = await Promise.all(
      Array.from({ length: maxWebPages }, () => page.context().newPage()),
    );
    for (const other of others) {
      await other.goto(webHost!.url);
      await other.getByRole('button', { name: 'Lookups' }).waitFor();
    }
    await page.goto(webHost!.url);
    await page.getByLabel('Host', { exact: true }).fill('localhost');
    await page.getByRole('button', { name: 'Resolve' }).click();
    await expect(page.getByRole('alert')).toContainText(
      `at most ${maxWebPages} pages at once; close another sockscope tab`,
    );
    await expect(page.getByRole('alert')).toContainText('ERR_TOO_MANY_PAGES');
    await page.screenshot({ path: 'test-results/screenshots/too-many-pages.png' });
    await others[0]!.close();
    await page.reload();
    await page.getByLabel('Host', { exact: true }).fill('localhost');
    await page.getByRole('button', { name: 'Resolve' }).click();
    await expect(page.getByRole('region', { name: 'Results' })).toContainText('127.0.0.1');
    for (const other of others.slice(1)) await other.close();
  });

  test('start:web serves on 127.0.0.1 only and exits 0 on SIGTERM', async ({}) => {
    const host = await startWebHostProcess(['--port', '0']);
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{48}$/);
    const response = await fetch(host.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await stopProcess(host.child)).toBe(0);
  });

  test('npm start says the Electron runtime is missing and starts browser mode', async ({}) => {
    const runtimeInstalled = electronBinary() !== null;
    if (runtimeInstalled)
      console.log('skipped: the Electron runtime is installed here, so npm start opens the window');
    test.skip(
      runtimeInstalled,
      'the Electron runtime is installed here: npm start opens the window',
    );
    const child = spawn(process.execPath, ['scripts/start.mjs', '--port', '0'], {
      cwd: join(import.meta.dirname, '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines = await new Promise<string[]>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`no URL line: ${output}`)), 20_000);
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (/sockscope web: /.test(output)) {
          clearTimeout(timer);
          resolve(output.trim().split('\n'));
        }
      });
    });
    expect(lines[0]).toMatch(/^The Electron runtime is missing .*browser mode/);
    expect(lines[1]).toMatch(/^sockscope web: http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{48}$/);
    expect(await stopProcess(child)).toBe(0);
  });
});
