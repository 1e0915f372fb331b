import { expect, test } from './fixtures';

// The desktop window only: the electron project runs this file, the web project ignores it
// (playwright.config.ts). Where the Electron binary is absent the `app` fixture skips, saying so.

test.describe('the desktop window', () => {
  test('loads from app://, serves only built files there, and has no Node', async ({ app }) => {
    expect(app.url()).toBe('app://sockscope/index.html');
    const statuses = await app.evaluate(async () => {
      const status = async (path: string) => (await fetch(path)).status;
      return [await status('/index.html'), await status('/..%2f..%2fpackage.json')];
    });
    expect(statuses).toEqual([200, 403]);
    expect(await app.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe(
      'undefined',
    );
  });

  test('the app cannot be navigated away or open windows', async ({ app }) => {
    const before = app.url();
    await app.evaluate(() => {
      window.location.href = 'https://example.com/';
    });
    await app.waitForTimeout(500);
    expect(app.url()).toBe(before);
    const opened = await app.evaluate(() => window.open('https://example.com/') === null);
    expect(opened).toBe(true);
  });
});
