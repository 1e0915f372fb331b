import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';

// Only `electron` is mocked: a recorder standing in for BrowserWindow and webContents.
const created: { options: Record<string, unknown>; contents: FakeContents }[] = [];

class FakeContents {
  handlers = new Map<string, (...args: unknown[]) => void>();
  windowOpenHandler: ((details: unknown) => unknown) | null = null;
  on(event: string, handler: (...args: unknown[]) => void): this {
    this.handlers.set(event, handler);
    return this;
  }
  setWindowOpenHandler(handler: (details: unknown) => unknown): void {
    this.windowOpenHandler = handler;
  }
}

vi.mock('electron', () => ({
  BrowserWindow: class {
    webContents = new FakeContents();
    constructor(options: Record<string, unknown>) {
      created.push({ options, contents: this.webContents });
    }
    once(): void {}
  },
}));

const { contentSecurityPolicy } = await import('../../src/main/content-security-policy');
const { createMainWindow, hardenContents, hardenSession } = await import('../../src/main/window');

describe('the app window', () => {
  beforeEach(() => {
    created.length = 0;
  });

  it('runs the renderer isolated, sandboxed, without Node', () => {
    createMainWindow('/app/out/preload/index.cjs');
    const preferences = created[0]!.options.webPreferences as Record<string, unknown>;
    expect(preferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
    });
  });

  it('denies navigation, redirects, webviews and new windows', () => {
    const contents = new FakeContents();
    hardenContents(contents as never);
    // Even another page of the app's own origin, or the built files over file://.
    const targets = ['https://example.com/', 'app://sockscope/other.html', 'file:///etc/passwd'];
    for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      for (const url of targets) {
        const preventDefault = vi.fn();
        contents.handlers.get(event)!({ preventDefault, url }, url);
        expect(preventDefault, `${event} ${url}`).toHaveBeenCalledOnce();
      }
    }
    expect(contents.windowOpenHandler!({ url: 'https://example.com/' })).toEqual({
      action: 'deny',
    });
  });

  it('denies every permission and stamps the CSP on responses', () => {
    let requestHandler: (c: unknown, p: string, callback: (ok: boolean) => void) => void = () => {};
    let checkHandler: (...args: unknown[]) => boolean = () => true;
    let headersHandler: (
      details: { responseHeaders: Record<string, string[]> },
      callback: (response: { responseHeaders: Record<string, string[]> }) => void,
    ) => void = () => {};
    hardenSession({
      setPermissionRequestHandler: (handler: typeof requestHandler) => (requestHandler = handler),
      setPermissionCheckHandler: (handler: typeof checkHandler) => (checkHandler = handler),
      webRequest: {
        onHeadersReceived: (handler: typeof headersHandler) => (headersHandler = handler),
      },
    } as never);
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal']) {
      const callback = vi.fn();
      requestHandler(null, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
    }
    expect(checkHandler(null, 'media')).toBe(false);
    let headers: Record<string, string[]> = {};
    headersHandler({ responseHeaders: { 'X-Other': ['1'] } }, (response) => {
      headers = response.responseHeaders;
    });
    expect(headers['X-Other']).toEqual(['1']);
    expect(headers['Content-Security-Policy']).toEqual([contentSecurityPolicy]);
  });

  it('has a CSP with no eval, no inline script and no remote origin', () => {
    expect(contentSecurityPolicy).toContain("default-src 'none'");
    expect(contentSecurityPolicy).toContain("script-src 'self'");
    expect(contentSecurityPolicy).not.toMatch(/unsafe-eval|unsafe-inline|https?:|\*/);
  });

  it('puts the same policy in the page itself (the dev server sends no CSP header)', () => {
    const html = readFileSync(join(__dirname, '../../src/renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBeDefined();
    const headerDirectives = contentSecurityPolicy.split('; ');
    for (const directive of meta!.split('; ')) expect(headerDirectives).toContain(directive);
  });
});
