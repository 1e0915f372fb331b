import { mkdtempSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { connect, createServer } from 'node:net';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import WebSocket from 'ws';
import { maxWebFrameBytes, maxWebPages } from '@shared/api';
import type { WebServerFrame } from '@shared/api';
import { decodeServerFrame } from '@shared/events-frame';
import { Engine } from '../../../src/main/engine';
import { startWebHost } from '../../../src/main/web/server';
import type { WebHost } from '../../../src/main/web/server';

/** A request whose path no client library normalizes first. */
function rawStatus(port: number, path: string, hostHeader?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers = hostHeader === undefined ? {} : { host: hostHeader };
    get({ host: '127.0.0.1', port, path, headers }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    }).once('error', reject);
  });
}

function upgradeStatus(url: string, origin?: string): Promise<number> {
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

/** A WebSocket that the host refuses after the handshake: its close code and reason. */
function closedWith(socket: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) =>
    socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
}

function openClient(host: WebHost): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`, {
      origin: `http://127.0.0.1:${host.port}`,
    });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

function nextFrame(socket: WebSocket): Promise<WebServerFrame> {
  return new Promise((resolve) =>
    socket.once('message', (data: Buffer, isBinary) =>
      resolve(decodeServerFrame(isBinary ? data : data.toString())),
    ),
  );
}

describe('browser-mode host', () => {
  let engine: Engine;
  let host: WebHost;
  let base: string;

  beforeAll(async () => {
    const rendererDir = mkdtempSync(join(tmpdir(), 'sockscope-renderer-'));
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
    writeFileSync(join(rendererDir, 'app.js'), 'console.log(1)');
    engine = await Engine.start({ transport: 'web', version: 'test' });
    host = await startWebHost({ engine, rendererDir });
    base = `http://127.0.0.1:${host.port}`;
  });
  afterAll(async () => {
    await host.close();
    await engine.close();
  });

  it('says so when its port is taken, and leaves nothing subscribed', async () => {
    const unsubscribed = vi.fn();
    const subscribe = engine.events.subscribe.bind(engine.events);
    const spy = vi.spyOn(engine.events, 'subscribe').mockImplementation((listener) => {
      const unsubscribe = subscribe(listener);
      return () => {
        unsubscribed();
        unsubscribe();
      };
    });
    try {
      await expect(
        startWebHost({ engine, rendererDir: mkdtempSync(join(tmpdir(), 'r-')), port: host.port }),
      ).rejects.toThrow(/EADDRINUSE/);
      expect(spy).toHaveBeenCalledOnce();
      expect(unsubscribed).toHaveBeenCalledOnce();
    } finally {
      spy.mockRestore();
    }
  });

  it('prints a loopback URL carrying a long random token', () => {
    expect(host.url).toBe(`${base}/?token=${host.token}`);
    expect(host.token).toMatch(/^[0-9a-f]{48}$/);
  });

  it('serves the renderer with a strict CSP and refuses paths outside it', async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-eval');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect((await fetch(`${base}/app.js`)).headers.get('content-type')).toContain('javascript');
    expect(await rawStatus(host.port, '/..%2f..%2f..%2fetc%2fpasswd')).toBe(403);
    expect(await rawStatus(host.port, '/%2e%2e/%2e%2e/etc/passwd')).toBe(403);
    expect(await rawStatus(host.port, '/..%5c..%5cetc%5cpasswd')).toBe(403);
    expect(await rawStatus(host.port, '/', 'evil.example')).toBe(421);
    expect((await fetch(`${base}/missing.js`)).status).toBe(404);
  });

  it('refuses a WebSocket without the token, with a wrong one, or from a foreign Origin', async () => {
    const socketUrl = `ws://127.0.0.1:${host.port}/ws`;
    expect(await upgradeStatus(`${socketUrl}?token=${host.token}`, base)).toBe(101);
    expect(await upgradeStatus(socketUrl, base)).toBe(401);
    expect(await upgradeStatus(`${socketUrl}?token=${'f'.repeat(48)}`, base)).toBe(401);
    expect(await upgradeStatus(`${socketUrl}?token=${host.token}`, 'http://evil.example')).toBe(
      403,
    );
    expect(await upgradeStatus(`${socketUrl}?token=${host.token}`, 'null')).toBe(403);
    expect(await upgradeStatus(`${socketUrl}?token=${host.token}`)).toBe(403);
  });

  it('carries calls and their coded errors over the socket', async () => {
    const client = await openClient(host);
    const reply = nextFrame(client);
    client.send(JSON.stringify({ id: 7, command: 'services.byName', args: { name: 'http' } }));
    expect(await reply).toMatchObject({
      kind: 'reply',
      id: 7,
      envelope: { ok: true, result: { entry: { name: 'http', port: 80, protocol: 'tcp' } } },
    });
    const refused = nextFrame(client);
    client.send(JSON.stringify({ id: 8, command: 'lookup.host', args: { host: '' } }));
    expect(await refused).toMatchObject({
      id: 8,
      envelope: { ok: false, error: { code: 'ERR_INVALID_ARGS' } },
    });
    const malformed = nextFrame(client);
    client.send('{not json');
    expect(await malformed).toMatchObject({ id: -1, envelope: { ok: false } });
    client.close();
  });

  it('answers a malformed frame with its id whenever one can be read', async () => {
    const client = await openClient(host);
    const cases: [string | Buffer, number, string][] = [
      ['{"id": 12, "command": 5}', 12, 'command is not a string'],
      ['{"id": 13, "command": "app.info", "args": {', 13, 'not JSON'],
      ['{"id": "14", "command": "app.info"}', -1, 'id is not a whole number'],
      ['[1, 2]', -1, 'not a JSON object'],
      [Buffer.from('{"id": 15, "command": "app.info"}'), -1, 'binary frame'],
    ];
    for (const [data, id, problem] of cases) {
      const reply = nextFrame(client);
      client.send(data);
      expect(await reply, String(data)).toMatchObject({
        kind: 'reply',
        id,
        envelope: {
          ok: false,
          error: { code: 'ERR_INVALID_ARGS', message: expect.stringContaining(problem) },
        },
      });
    }
    client.close();
  });

  it('answers every generated frame once, with its id where it has one, and keeps serving', async () => {
    const client = await openClient(host);
    // Text frames: any JSON, any string, objects shaped almost like calls.
    const frameText = fc.oneof(
      fc.json(),
      fc.string({ maxLength: 200 }),
      fc
        .record(
          {
            id: fc.oneof(fc.nat(), fc.integer(), fc.double(), fc.string()),
            command: fc.oneof(fc.constantFrom('app.info', 'log.stats', 'nope'), fc.string()),
            args: fc.anything(),
          },
          { requiredKeys: [] },
        )
        .map((value) => JSON.stringify(value) ?? 'null'),
    );
    await fc.assert(
      fc.asyncProperty(frameText, async (text) => {
        const reply = nextFrame(client);
        client.send(text);
        const frame = await reply;
        expect(frame.kind).toBe('reply');
        if (frame.kind !== 'reply') return;
        let sentId: unknown;
        try {
          sentId = (JSON.parse(text) as { id?: unknown } | null)?.id;
        } catch {
          sentId = undefined;
        }
        if (typeof sentId === 'number' && Number.isSafeInteger(sentId) && sentId >= 0)
          expect(frame.id).toBe(sentId);
        else expect(frame.id).toBe(-1);
      }),
      { numRuns: 300 },
    );
    const alive = nextFrame(client);
    client.send(JSON.stringify({ id: 99, command: 'app.info', args: {} }));
    expect(await alive).toMatchObject({ id: 99, envelope: { ok: true } });
    client.close();
  });

  it('answers 400, not 500, for a malformed % escape in the path', async () => {
    for (const path of ['/%E0%A4%A', '/%', '/assets/%zz.js'])
      expect(await rawStatus(host.port, path), path).toBe(400);
  });

  it('takes a call as large as the largest legitimate one and closes on a larger frame', async () => {
    const client = await openClient(host);
    // A 64 KiB file piece as the composer sends it, then the contract's longest text in
    // three-byte characters: both fit (the engine answers; bad args are its business).
    const chunk = Buffer.alloc(64 * 1024, 7).toString('base64');
    const piece = nextFrame(client);
    client.send(
      JSON.stringify({
        id: 20,
        command: 'session.send',
        args: { sessionId: 'none', payload: { format: 'base64', text: chunk } },
      }),
    );
    expect(await piece).toMatchObject({ id: 20, envelope: { ok: false } });
    const longest = nextFrame(client);
    const text = '中'.repeat(8 * 1024 * 1024);
    client.send(JSON.stringify({ id: 21, command: 'app.info', args: { text } }));
    expect(await longest).toMatchObject({ id: 21 });
    const closed = closedWith(client);
    client.send('x'.repeat(maxWebFrameBytes + 1));
    expect((await closed).code).toBe(1009);
  });

  it('serves a handful of pages at once and refuses one more in words', async () => {
    const pages = await Promise.all(Array.from({ length: maxWebPages }, () => openClient(host)));
    const extra = await openClient(host);
    const refusal = await closedWith(extra);
    expect(refusal.code).toBe(1013);
    expect(refusal.reason).toMatch(/at most 5 pages at once; close another sockscope tab/);
    // A page that closes frees its place.
    const gone = closedWith(pages[0]!);
    pages[0]!.close();
    await gone;
    await vi.waitFor(async () => {
      const again = await openClient(host);
      const reply = nextFrame(again);
      again.send(JSON.stringify({ id: 1, command: 'app.info', args: {} }));
      expect(await reply).toMatchObject({ id: 1, envelope: { ok: true } });
      again.close();
    });
    // Leave no page open for the next test.
    const rest = pages.slice(1).map((page) => closedWith(page));
    for (const page of pages.slice(1)) page.close();
    await Promise.all(rest);
  });

  it('encodes each event batch once for all pages, as a binary frame', async () => {
    const pages = await Promise.all([openClient(host), openClient(host), openClient(host)]);
    const frames = pages.map((page) => nextFrame(page));
    const stringify = vi.spyOn(JSON, 'stringify');
    try {
      engine.events.emit({ type: 'notice', level: 'info', message: 'to all', atUs: 2 });
      engine.events.flush();
      for (const frame of await Promise.all(frames))
        expect(frame).toMatchObject({ kind: 'events', batch: { events: [{ message: 'to all' }] } });
      // The frame's JSON part (the batch beside the record tables) is built once.
      const batches = stringify.mock.calls.filter(
        ([value]) => (value as { counts?: unknown } | null)?.counts !== undefined,
      );
      expect(batches).toHaveLength(1);
    } finally {
      stringify.mockRestore();
      for (const page of pages) page.close();
    }
  });

  it('delivers engine events as batches', async () => {
    const client = await openClient(host);
    const frame = nextFrame(client);
    engine.events.emit({ type: 'notice', level: 'info', message: 'hello', atUs: 1 });
    expect(await frame).toMatchObject({
      kind: 'events',
      batch: { events: [{ type: 'notice', message: 'hello' }] },
    });
    client.close();
  });
});

describe('browser-mode host connection limits', () => {
  let engine: Engine;
  let host: WebHost;

  beforeAll(async () => {
    const rendererDir = mkdtempSync(join(tmpdir(), 'sockscope-renderer-'));
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
    engine = await Engine.start({ transport: 'web', version: 'test' });
    host = await startWebHost({
      engine,
      rendererDir,
      limits: { connections: 6, headersTimeoutMs: 400 },
    });
  });
  afterAll(async () => {
    await host.close();
    await engine.close();
  });

  /** A raw TCP connection that sends nothing; resolves when the host closes it. */
  function idleConnection(): { closed: Promise<number>; opened: Promise<void> } {
    const startedAt = Date.now();
    const socket = connect(host.port, '127.0.0.1');
    socket.on('error', () => {});
    socket.on('data', () => {});
    return {
      opened: new Promise((resolve) => socket.once('connect', () => resolve())),
      closed: new Promise((resolve) => socket.once('close', () => resolve(Date.now() - startedAt))),
    };
  }

  it('drops connections past the limit and closes idle ones after the header timeout', async () => {
    const held = Array.from({ length: 6 }, () => idleConnection());
    await Promise.all(held.map((connection) => connection.opened));
    // Let the host count them before the next one arrives.
    await new Promise((resolve) => setTimeout(resolve, 100));
    let heldClosed = 0;
    for (const connection of held) void connection.closed.then(() => (heldClosed += 1));
    const over = idleConnection();
    // Dropped at once, while the held ones still wait for their header timeout.
    await over.closed;
    expect(heldClosed).toBe(0);
    // The held ones go once their headers are overdue (400 ms, checked every 400 ms).
    for (const closedAfter of await Promise.all(held.map((connection) => connection.closed)))
      expect(closedAfter).toBeGreaterThanOrEqual(300);
    // And the host serves again.
    await vi.waitFor(async () =>
      expect((await fetch(`http://127.0.0.1:${host.port}/`)).status).toBe(200),
    );
  });
});

describe('browser mode through an SSH tunnel (README)', () => {
  let engine: Engine;
  let host: WebHost;
  let tunnel: Server;
  let tunnelPort = 0;
  let carried = 0;

  beforeAll(async () => {
    const rendererDir = mkdtempSync(join(tmpdir(), 'sockscope-renderer-'));
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
    engine = await Engine.start({ transport: 'web', version: 'test' });
    host = await startWebHost({ engine, rendererDir });
    // The tunnel: bytes from its local end to the host, as `ssh -L` carries them.
    tunnel = createServer((local) => {
      carried += 1;
      const remote = connect(host.port, '127.0.0.1');
      local.pipe(remote).pipe(local);
      local.on('error', () => remote.destroy());
      remote.on('error', () => local.destroy());
    });
    await new Promise<void>((resolve) => tunnel.listen(0, '127.0.0.1', resolve));
    tunnelPort = (tunnel.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => tunnel.close(resolve));
    await host.close();
    await engine.close();
  });

  /** The browser at the tunnel's far end opens http://127.0.0.1:LOCALPORT/ on its machine. */
  const throughTunnel = () => connect(tunnelPort, '127.0.0.1');

  function pageStatus(localPort: number): Promise<number> {
    return new Promise((resolve, reject) => {
      get(
        {
          path: '/',
          headers: { host: `127.0.0.1:${localPort}` },
          createConnection: throughTunnel,
        },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      ).once('error', reject);
    });
  }

  function socketOpens(localPort: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(`ws://127.0.0.1:${localPort}/ws?token=${host.token}`, {
        origin: `http://127.0.0.1:${localPort}`,
        createConnection: throughTunnel,
      } as never);
      socket.once('open', () => {
        socket.close();
        resolve(101);
      });
      socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      socket.once('error', reject);
    });
  }

  it('works when the local end uses the same port as the host (start:web --port)', async () => {
    expect(await pageStatus(host.port)).toBe(200);
    expect(await socketOpens(host.port)).toBe(101);
    expect(carried).toBe(2);
  });

  it('is refused when the ports differ, as the README warns', async () => {
    const otherPort = host.port === 65535 ? 65534 : host.port + 1;
    expect(await pageStatus(otherPort)).toBe(421);
    expect(await socketOpens(otherPort)).toBe(403);
  });
});
