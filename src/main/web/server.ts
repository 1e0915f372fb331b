import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer } from 'ws';
import type { RawData, WebSocket } from 'ws';
import type { WebClientFrame, WebServerFrame } from '@shared/api';
import { ErrorCode } from '@shared/errors';
import { contentSecurityPolicy } from '../content-security-policy';
import type { Engine } from '../engine';
import { dispatch } from '../router';
import { LaggingPageFilter } from './lagging-page';

export interface WebHostOptions {
  engine: Engine;
  /** The built renderer (index.html and its assets). */
  rendererDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** Fixed token for tests; a random one otherwise. */
  token?: string;
}

export interface WebHost {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

/** Browser mode listens here and nowhere else. */
const loopbackHost = '127.0.0.1';
// Room for the largest payload the contract allows (8 MiB of text, escaped in JSON).
const maxClientFrameBytes = 64 * 1024 * 1024;

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function refuseUpgrade(socket: Socket, status: number, reason: string): void {
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\n` +
      `Content-Length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`,
  );
}

function parseFrame(data: RawData): WebClientFrame | null {
  try {
    const value: unknown = JSON.parse(data.toString());
    if (typeof value !== 'object' || value === null) return null;
    const frame = value as Record<string, unknown>;
    if (typeof frame.id !== 'number' || !Number.isSafeInteger(frame.id)) return null;
    if (typeof frame.command !== 'string') return null;
    return { id: frame.id, command: frame.command, args: frame.args };
  } catch {
    return null;
  }
}

/**
 * Serves the built renderer and one WebSocket carrying the same contract as the
 * Electron IPC. Only 127.0.0.1, only with the run's token, only from its own Origin.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? randomBytes(24).toString('hex');
  const rendererRoot = normalize(options.rendererDir);
  let port = 0;
  const allowedHosts = (): string[] => [`${loopbackHost}:${port}`, `localhost:${port}`];

  const serveFile = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (!allowedHosts().includes(request.headers.host ?? '')) {
      response.writeHead(421, { 'Content-Type': 'text/plain' }).end('Misdirected request');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    const relative = pathname === '/' ? 'index.html' : pathname.slice(1);
    const filePath = normalize(join(rendererRoot, relative));
    if (filePath !== rendererRoot && !filePath.startsWith(rendererRoot + sep)) {
      response.writeHead(403).end();
      return;
    }
    const info = await stat(filePath).catch(() => null);
    if (info === null || !info.isFile()) {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
      return;
    }
    response.writeHead(200, {
      'Content-Type': contentTypes[extname(filePath)] ?? 'application/octet-stream',
      'Content-Length': info.size,
      'Content-Security-Policy': contentSecurityPolicy,
      'X-Content-Type-Options': 'nosniff',
      // The token rides in the page's URL: never let it leak through a Referer.
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    });
    if (request.method === 'HEAD') response.end();
    else createReadStream(filePath).pipe(response);
  };

  const httpServer = createServer((request, response) => {
    serveFile(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });

  const webSockets = new WebSocketServer({ noServer: true, maxPayload: maxClientFrameBytes });

  httpServer.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    const url = new URL(request.url ?? '/', 'http://x');
    if (url.pathname !== '/ws') return refuseUpgrade(socket, 404, 'Not found');
    if (!allowedHosts().includes(request.headers.host ?? ''))
      return refuseUpgrade(socket, 403, 'Host not allowed');
    const origin = request.headers.origin;
    if (origin === undefined || !allowedHosts().some((host) => origin === `http://${host}`))
      return refuseUpgrade(socket, 403, 'Origin not allowed');
    if (!sameSecret(url.searchParams.get('token') ?? '', token))
      return refuseUpgrade(socket, 401, 'Missing or wrong token');
    webSockets.handleUpgrade(request, socket, head, (webSocket) => serveClient(webSocket));
  });

  const send = (webSocket: WebSocket, frame: WebServerFrame): void => {
    if (webSocket.readyState === webSocket.OPEN) webSocket.send(JSON.stringify(frame));
  };

  const serveClient = (webSocket: WebSocket): void => {
    const lagging = new LaggingPageFilter();
    const unsubscribe = options.engine.events.subscribe((batch) =>
      send(webSocket, {
        kind: 'events',
        batch: lagging.filter(batch, webSocket.bufferedAmount, Date.now() * 1000),
      }),
    );
    webSocket.on('close', unsubscribe);
    webSocket.on('error', unsubscribe);
    webSocket.on('message', (data) => {
      const frame = parseFrame(data);
      if (frame === null) {
        send(webSocket, {
          kind: 'reply',
          id: -1,
          envelope: {
            ok: false,
            error: {
              code: ErrorCode.invalidArgs,
              message: 'Malformed frame: expected {"id": number, "command": string, "args": …}',
            },
          },
        });
        return;
      }
      void dispatch(options.engine, frame.command, frame.args).then((envelope) =>
        send(webSocket, { kind: 'reply', id: frame.id, envelope }),
      );
    });
  };

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port ?? 0, loopbackHost, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  port = (httpServer.address() as AddressInfo).port;

  return {
    url: `http://${loopbackHost}:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      for (const client of webSockets.clients) client.terminate();
      await new Promise<void>((resolve) => webSockets.close(() => resolve()));
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
