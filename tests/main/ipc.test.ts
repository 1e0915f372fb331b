import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ipcChannel } from '@shared/api';
import type { CallEnvelope } from '@shared/errors';
import type { Engine } from '../../src/main/engine';

vi.mock('electron', () => ({}));

const { Engine: EngineClass } = await import('../../src/main/engine');
const { registerIpc } = await import('../../src/main/ipc');
const { appPageUrl } = await import('../../src/main/app-protocol');

type Handler = (event: unknown, command: unknown, args: unknown) => Promise<CallEnvelope>;

const appUrl = appPageUrl;

function fakeContents() {
  const mainFrame = { url: appUrl, processId: 4, routingId: 1 };
  return {
    mainFrame,
    sent: [] as unknown[][],
    isDestroyed: () => false,
    send(...args: unknown[]) {
      this.sent.push(args);
    },
  };
}

describe('IPC wiring', () => {
  let engine: Engine;
  let handler: Handler;
  let removed: string[];
  let unregister: () => void;
  const contents = fakeContents();

  beforeAll(async () => {
    engine = await EngineClass.start({ transport: 'electron', version: 'test' });
    removed = [];
    unregister = registerIpc(
      {
        handle: (channel: string, registered: Handler) => {
          expect(channel).toBe(ipcChannel.call);
          handler = registered;
        },
        removeHandler: (channel: string) => removed.push(channel),
      } as never,
      engine,
      contents as never,
      appUrl,
    );
  });
  afterAll(async () => engine.close());

  const fromApp = () => ({ sender: contents, senderFrame: contents.mainFrame });

  it('serves a call from the app window with good arguments', async () => {
    const envelope = await handler(fromApp(), 'services.byPort', { port: 22, protocol: 'tcp' });
    expect(envelope).toMatchObject({ ok: true, result: { entry: { name: 'ssh' } } });
  });

  it('recognises the app frame by its ids, whatever wrapper object Electron hands over', async () => {
    const sameFrame = { ...contents.mainFrame };
    expect(
      await handler({ sender: contents, senderFrame: sameFrame }, 'app.info', {}),
    ).toMatchObject({ ok: true });
  });

  it('refuses a call from another webContents', async () => {
    const other = fakeContents();
    const envelope = await handler({ sender: other, senderFrame: other.mainFrame }, 'app.info', {});
    expect(envelope).toMatchObject({ ok: false, error: { code: 'ERR_FORBIDDEN_SENDER' } });
  });

  it('refuses a call from a subframe or from a page the window navigated to', async () => {
    const subframe = { url: appUrl, processId: 4, routingId: 7 };
    expect(
      await handler({ sender: contents, senderFrame: subframe }, 'app.info', {}),
    ).toMatchObject({ ok: false, error: { code: 'ERR_FORBIDDEN_SENDER' } });
    contents.mainFrame.url = 'https://evil.example/';
    expect(await handler(fromApp(), 'app.info', {})).toMatchObject({
      ok: false,
      error: { code: 'ERR_FORBIDDEN_SENDER' },
    });
    // The same built page reached some other way is not the app.
    for (const url of ['file:///opt/sockscope/out/renderer/index.html', 'app://other/index.html']) {
      contents.mainFrame.url = url;
      expect(await handler(fromApp(), 'app.info', {}), url).toMatchObject({ ok: false });
    }
    contents.mainFrame.url = `${appUrl}#lookups`;
    expect(await handler(fromApp(), 'app.info', {})).toMatchObject({ ok: true });
    contents.mainFrame.url = appUrl;
    expect(await handler({ sender: contents, senderFrame: null }, 'app.info', {})).toMatchObject({
      ok: false,
    });
  });

  it('refuses bad arguments and unknown commands from the app window', async () => {
    expect(await handler(fromApp(), 'lookup.host', { host: 'a b' })).toMatchObject({
      ok: false,
      error: {
        code: 'ERR_INVALID_ARGS',
        message: expect.stringContaining('host: contains a space'),
      },
    });
    expect(await handler(fromApp(), 'shell.exec', {})).toMatchObject({
      ok: false,
      error: { code: 'ERR_UNKNOWN_COMMAND' },
    });
  });

  it('forwards event batches to the window, and stops after unregister', () => {
    engine.events.emit({ type: 'notice', level: 'info', message: 'hi', atUs: 1 });
    engine.events.flush();
    expect(contents.sent).toHaveLength(1);
    expect(contents.sent[0]![0]).toBe(ipcChannel.events);
    unregister();
    expect(removed).toEqual([ipcChannel.call]);
    engine.events.emit({ type: 'notice', level: 'info', message: 'after', atUs: 2 });
    engine.events.flush();
    expect(contents.sent).toHaveLength(1);
  });
});
