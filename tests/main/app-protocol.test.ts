import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  appPageUrl,
  devServerUrl,
  handleAppProtocol,
  registerAppScheme,
  serveAppRequest,
} from '../../src/main/app-protocol';
import { contentSecurityPolicy } from '../../src/main/content-security-policy';

// A built renderer beside a secret it must never serve.
let rendererRoot = '';
beforeAll(() => {
  const base = mkdtempSync(join(tmpdir(), 'sockscope-app-protocol-'));
  rendererRoot = join(base, 'renderer');
  mkdirSync(join(rendererRoot, 'assets'), { recursive: true });
  writeFileSync(join(rendererRoot, 'index.html'), '<!doctype html><title>sockscope</title>');
  writeFileSync(join(rendererRoot, 'assets/index-abc.js'), 'console.log("app")');
  writeFileSync(join(rendererRoot, 'assets/index-abc.css'), 'body{}');
  writeFileSync(join(rendererRoot, 'assets/logo.svg'), '<svg/>');
  writeFileSync(join(rendererRoot, 'assets/notes.txt'), 'not a built asset type');
  writeFileSync(join(base, 'secret.js'), 'the main process bundle');
  symlinkSync(join(base, 'secret.js'), join(rendererRoot, 'assets/link.js'));
});

/** A request as the handler sees it; a plain object keeps the path exactly as written. */
const get = (url: string, method = 'GET') => serveAppRequest({ url, method }, rendererRoot);

describe('the app:// protocol', () => {
  it('serves the built page and its assets with the right MIME type and the CSP', async () => {
    const cases: [string, string][] = [
      ['app://sockscope/', 'text/html; charset=utf-8'],
      [appPageUrl, 'text/html; charset=utf-8'],
      ['app://sockscope/assets/index-abc.js', 'text/javascript; charset=utf-8'],
      ['app://sockscope/assets/index-abc.css?v=1#x', 'text/css; charset=utf-8'],
      ['app://sockscope/assets/logo.svg', 'image/svg+xml'],
    ];
    for (const [url, type] of cases) {
      const response = await get(url);
      expect(response.status, url).toBe(200);
      expect(response.headers.get('content-type'), url).toBe(type);
      expect(response.headers.get('content-security-policy'), url).toBe(contentSecurityPolicy);
      expect(response.headers.get('x-content-type-options'), url).toBe('nosniff');
    }
    expect(await (await get('app://sockscope/assets/index-abc.js')).text()).toBe(
      'console.log("app")',
    );
    // A real Request (as Electron hands over) works too.
    const real = await serveAppRequest(new Request(appPageUrl), rendererRoot);
    expect(await real.text()).toContain('<title>sockscope</title>');
  });

  it('refuses traversal, plain and percent-encoded, and symlinks out of the build', async () => {
    const refusals: [string, number][] = [
      ['app://sockscope/../secret.js', 403],
      ['app://sockscope/assets/../../secret.js', 403],
      ['app://sockscope/..%2fsecret.js', 403],
      ['app://sockscope/..%2Fsecret.js', 403],
      ['app://sockscope/%2e%2e/secret.js', 403],
      ['app://sockscope/%2E%2E%2Fsecret.js', 403],
      ['app://sockscope/..%5csecret.js', 403],
      ['app://sockscope/%252e%252e%252fsecret.js', 404],
      ['app://sockscope/assets/link.js', 403],
      ['app://sockscope/%2fetc%2fpasswd', 403],
      ['app://sockscope/C:%5cWindows%5cwin.ini', 403],
      ['app://sockscope/index.html%00.js', 403],
      ['app://sockscope/%E0%A4%A', 400],
    ];
    for (const [url, status] of refusals) {
      const response = await get(url);
      expect(response.status, url).toBe(status);
      expect(await response.text(), url).not.toContain('main process');
    }
  });

  it('serves only built files: not other types, not directories, not other hosts or methods', async () => {
    expect((await get('app://sockscope/assets/notes.txt')).status).toBe(404);
    expect((await get('app://sockscope/assets')).status).toBe(404);
    expect((await get('app://sockscope/missing.js')).status).toBe(404);
    expect((await get('app://evil/index.html')).status).toBe(404);
    expect((await get('file:///etc/passwd')).status).toBe(404);
    expect((await get(appPageUrl, 'POST')).status).toBe(405);
    const head = await get(appPageUrl, 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('registers a standard, secure scheme and handles it from the given build', async () => {
    const privileged: unknown[] = [];
    registerAppScheme({ registerSchemesAsPrivileged: (schemes) => privileged.push(...schemes) });
    expect(privileged).toEqual([
      {
        scheme: 'app',
        privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
      },
    ]);
    const handlers = new Map<string, (request: Request) => Promise<Response>>();
    handleAppProtocol(
      { handle: (scheme, handler) => handlers.set(scheme, handler as never) },
      rendererRoot,
    );
    expect([...handlers.keys()]).toEqual(['app']);
    const response = await handlers.get('app')!(new Request(appPageUrl));
    expect(response.status).toBe(200);
  });
});

describe('the dev server URL', () => {
  const devEnv = { ELECTRON_RENDERER_URL: 'http://localhost:5173' };
  const devArgv = ['electron', '.', '--sockscope-dev'];

  it('is honoured only unpackaged, with the explicit dev flag, on loopback', () => {
    expect(devServerUrl({ isPackaged: false, argv: devArgv, env: devEnv })).toBe(
      'http://localhost:5173/',
    );
    expect(devServerUrl({ isPackaged: true, argv: devArgv, env: devEnv })).toBeNull();
    expect(devServerUrl({ isPackaged: false, argv: ['electron', '.'], env: devEnv })).toBeNull();
    expect(devServerUrl({ isPackaged: false, argv: devArgv, env: {} })).toBeNull();
    for (const url of ['https://evil.example/', 'file:///tmp/x.html', 'javascript:alert(1)', '::'])
      expect(
        devServerUrl({ isPackaged: false, argv: devArgv, env: { ELECTRON_RENDERER_URL: url } }),
        url,
      ).toBeNull();
  });
});
