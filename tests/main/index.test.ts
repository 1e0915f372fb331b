import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

const userData = mkdtempSync(join(tmpdir(), 'sockscope-userdata-'));
const requestedPaths: string[] = [];

const calls: string[] = [];
const appHandlers = new Map<string, (...args: unknown[]) => void>();
const handledSchemes: string[] = [];
const loadedUrls: string[] = [];
let becomeReady: () => void = () => {};
const ready = new Promise<void>((resolve) => (becomeReady = resolve));

class FakeContents {
  mainFrame = { url: '', processId: 1, routingId: 1 };
  on(): this {
    return this;
  }
  setWindowOpenHandler(): void {}
  isDestroyed(): boolean {
    return false;
  }
  send(): void {}
}

vi.mock('electron', () => ({
  app: {
    enableSandbox: () => calls.push('enableSandbox'),
    on: (event: string, handler: (...args: unknown[]) => void) => appHandlers.set(event, handler),
    whenReady: () => ready,
    getVersion: () => '0.0.0-test',
    // The engine keeps its settings in userData: a temp folder here.
    getPath: (name: string) => {
      requestedPaths.push(name);
      return userData;
    },
    isPackaged: false,
    exit: (code: number) => calls.push(`exit ${code}`),
    quit: () => calls.push('quit'),
  },
  protocol: {
    registerSchemesAsPrivileged: (schemes: { scheme: string }[]) =>
      calls.push(`privileged ${schemes.map((scheme) => scheme.scheme).join(',')}`),
    handle: (scheme: string) => handledSchemes.push(scheme),
  },
  ipcMain: { handle: () => {}, removeHandler: () => {} },
  session: {
    defaultSession: {
      setPermissionRequestHandler: () => {},
      setPermissionCheckHandler: () => {},
      webRequest: { onHeadersReceived: () => {} },
    },
  },
  BrowserWindow: class {
    webContents = new FakeContents();
    once(): void {}
    async loadURL(url: string): Promise<void> {
      loadedUrls.push(url);
    }
  },
}));

// A dev server URL in the environment, as electron-vite sets it, but no dev flag.
process.env.ELECTRON_RENDERER_URL = 'http://localhost:5173';
await import('../../src/main/index');

describe('main process start-up', () => {
  it('turns on the sandbox and registers the app:// scheme before the app is ready', () => {
    expect(calls).toEqual(['enableSandbox', 'privileged app']);
    expect(handledSchemes).toEqual([]);
  });

  it('locks every webContents that is ever created', () => {
    const contentsEvents: string[] = [];
    let openHandler: ((details: unknown) => unknown) | null = null;
    appHandlers.get('web-contents-created')!(
      {},
      {
        on: (event: string) => contentsEvents.push(event),
        setWindowOpenHandler: (handler: (details: unknown) => unknown) => (openHandler = handler),
      },
    );
    expect(contentsEvents).toEqual(
      expect.arrayContaining(['will-navigate', 'will-redirect', 'will-attach-webview']),
    );
    expect(openHandler!({ url: 'https://example.com' })).toEqual({ action: 'deny' });
  });

  it('loads the page from app:// (never file:// or an unflagged dev server) once ready', async () => {
    becomeReady();
    await vi.waitFor(() => expect(loadedUrls).toHaveLength(1));
    expect(handledSchemes).toEqual(['app']);
    expect(loadedUrls).toEqual(['app://sockscope/index.html']);
    expect(requestedPaths).toEqual(['userData']);
    expect(calls).not.toContain('exit 1');
    // Closing the window closes the engine, then quits.
    appHandlers.get('window-all-closed')!();
    await vi.waitFor(() => expect(calls).toContain('quit'));
  });
});
