import { mkdtempSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { WebServerFrame } from '@shared/api';
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
    socket.once('message', (data) => resolve(JSON.parse(data.toString()) as WebServerFrame)),
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
