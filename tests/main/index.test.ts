import { describe, expect, it, vi } from 'vitest';

const calls: string[] = [];
const appHandlers = new Map<string, (...args: unknown[]) => void>();

vi.mock('electron', () => ({
  app: {
    enableSandbox: () => calls.push('enableSandbox'),
    on: (event: string, handler: (...args: unknown[]) => void) => appHandlers.set(event, handler),
    // Never ready: this test looks only at what main does before the first window.
    whenReady: () => new Promise(() => {}),
  },
  ipcMain: {},
  session: {},
  BrowserWindow: class {},
}));

await import('../../src/main/index');

describe('main process start-up', () => {
  it('turns on the sandbox for every renderer before anything else', () => {
    expect(calls).toEqual(['enableSandbox']);
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
});
