import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import type { RawData, WebSocket } from 'ws';
import { maxWebFrameBytes, maxWebPages } from '@shared/api';
import type { WebClientFrame, WebServerFrame } from '@shared/api';
import { encodeEventsFrame } from '@shared/events-frame';
import type { EventBatch } from '@shared/contract';
import { ErrorCode } from '@shared/errors';
import { contentSecurityPolicy } from '../content-security-policy';
import type { Engine } from '../engine';
import { dispatch } from '../router';
import { findStaticFile } from '../static-files';
import { LaggingPageFilter } from './lagging-page';

export interface WebHostOptions {
  engine: Engine;
  /** The built renderer (index.html and its assets). */
  rendererDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** Fixed token for tests; a random one otherwise. */
  token?: string;
  /** Limits; the defaults below unless a test needs them small. */
  limits?: Partial<WebHostLimits>;
}

export interface WebHostLimits {
  /** Pages (WebSockets) served at once; one more is told so in words and closed. */
  pages: number;
  /** Open HTTP connections, WebSockets included; more are dropped at once. */
  connections: number;
  /** A request's headers must arrive within this (ms), or its connection is closed. */
  headersTimeoutMs: number;
  /** The largest frame accepted from a page (bytes). */
  frameBytes: number;
}

export const defaultWebHostLimits: WebHostLimits = {
  pages: maxWebPages,
  connections: 64,
  headersTimeoutMs: 10_000,
  frameBytes: maxWebFrameBytes,
};

export interface WebHost {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

/** Browser mode listens here and nowhere else. */
const loopbackHost = '127.0.0.1';
/** WebSocket close code 1013, "try again later": the page limit is reached. */
const closeTooManyPages = 1013;

interface Page {
  socket: WebSocket;
  lagging: LaggingPageFilter;
}

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

type ParsedFrame = { ok: true; frame: WebClientFrame } | { ok: false; id: number; problem: string };

/** The id a frame that is not JSON still shows at its start (the web api writes it first). */
function leadingId(text: string): number {
  const match = /^\s*\{\s*"id"\s*:\s*(\d{1,15})\s*[,}]/.exec(text.slice(0, 64));
  return match === null ? -1 : Number(match[1]);
}

function parseFrame(data: RawData, isBinary: boolean): ParsedFrame {
  if (isBinary) return { ok: false, id: -1, problem: 'a binary frame (calls are JSON text)' };
  const text = data.toString();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, id: leadingId(text), problem: 'not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, id: -1, problem: 'not a JSON object' };
  const frame = value as Record<string, unknown>;
  if (typeof frame.id !== 'number' || !Number.isSafeInteger(frame.id) || frame.id < 0)
    return { ok: false, id: -1, problem: 'id is not a whole number' };
  if (typeof frame.command !== 'string')
    return { ok: false, id: frame.id, problem: 'command is not a string' };
  return { ok: true, frame: { id: frame.id, command: frame.command, args: frame.args } };
}

/** A request target as a URL, or null when it cannot be one (answered 400, never thrown). */
function requestTarget(requestUrl: string | undefined): URL | null {
  try {
    return new URL(requestUrl ?? '/', 'http://x');
  } catch {
    return null;
  }
}

/** The raw request path, before any URL parser folds its dot segments. */
function rawPath(requestUrl: string): string | null {
  const path = requestUrl.startsWith('/') ? requestUrl : requestTarget(requestUrl)?.pathname;
  return path === undefined ? null : path.split(/[?#]/)[0]!;
}

/**
 * Serves the built renderer and one WebSocket carrying the same contract as the
 * Electron IPC. Only 127.0.0.1, only with the run's token, only from its own Origin.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? randomBytes(24).toString('hex');
  const limits: WebHostLimits = { ...defaultWebHostLimits, ...options.limits };
  const rendererRoot = options.rendererDir;
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
    const path = rawPath(request.url ?? '/');
    if (path === null) {
      response.writeHead(400, { 'Content-Type': 'text/plain' }).end('Bad request');
      return;
    }
    const file = await findStaticFile(rendererRoot, path);
    if (!file.ok) {
      response.writeHead(file.status, { 'Content-Type': 'text/plain' }).end(file.message);
      return;
    }
    response.writeHead(200, {
      'Content-Type': file.contentType,
      'Content-Length': file.size,
      'Content-Security-Policy': contentSecurityPolicy,
      'X-Content-Type-Options': 'nosniff',
      // The token rides in the page's URL: never let it leak through a Referer.
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    });
    if (request.method === 'HEAD') response.end();
    else createReadStream(file.path).pipe(response);
  };

  const httpServer = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.headersTimeoutMs * 3,
      // How often those timeouts are checked; the default (30 s) would let idle sockets pile up.
      connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs),
    },
    (request, response) => {
      serveFile(request, response).catch(() => {
        if (!response.headersSent) response.writeHead(500);
        response.end();
      });
    },
  );
  // Past this many open connections new ones are dropped, so idle sockets cannot use up
  // the process's file descriptors (which every session needs too).
  httpServer.maxConnections = limits.connections;

  const webSockets = new WebSocketServer({ noServer: true, maxPayload: limits.frameBytes });
  const pages = new Set<Page>();

  httpServer.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    const url = requestTarget(request.url);
    if (url === null) return refuseUpgrade(socket, 400, 'Bad request');
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

  // Each batch is encoded once for every page; only a page that has fallen behind gets
  // a thinned copy of its own.
  const unsubscribe = options.engine.events.subscribe((batch: EventBatch) => {
    if (pages.size === 0) return;
    let shared: Uint8Array | null = null;
    const atUs = Date.now() * 1000;
    for (const page of pages) {
      if (page.socket.readyState !== page.socket.OPEN) continue;
      const thinned = page.lagging.filter(batch, page.socket.bufferedAmount, atUs);
      if (thinned === batch) {
        shared ??= encodeEventsFrame(batch);
        page.socket.send(shared, { binary: true });
      } else {
        page.socket.send(encodeEventsFrame(thinned), { binary: true });
      }
    }
  });

  const serveClient = (webSocket: WebSocket): void => {
    if (pages.size >= limits.pages) {
      webSocket.close(
        closeTooManyPages,
        `sockscope serves at most ${limits.pages} pages at once; close another sockscope tab, then reload this one`,
      );
      return;
    }
    const page: Page = { socket: webSocket, lagging: new LaggingPageFilter() };
    pages.add(page);
    webSocket.on('close', () => pages.delete(page));
    webSocket.on('error', () => pages.delete(page));
    webSocket.on('message', (data, isBinary) => {
      const parsed = parseFrame(data, isBinary);
      if (!parsed.ok) {
        send(webSocket, {
          kind: 'reply',
          id: parsed.id,
          envelope: {
            ok: false,
            error: {
              code: ErrorCode.invalidArgs,
              message: `Malformed frame (${parsed.problem}): expected {"id": number, "command": string, "args": …}`,
            },
          },
        });
        return;
      }
      const { frame } = parsed;
      void dispatch(options.engine, frame.command, frame.args).then((envelope) =>
        send(webSocket, { kind: 'reply', id: frame.id, envelope }),
      );
    });
  };

  await new Promise<void>((resolve, reject) => {
    const failed = (error: Error): void => {
      // A port in use: leave nothing subscribed behind.
      unsubscribe();
      reject(error);
    };
    httpServer.once('error', failed);
    httpServer.listen(options.port ?? 0, loopbackHost, () => {
      httpServer.off('error', failed);
      resolve();
    });
  });
  port = (httpServer.address() as AddressInfo).port;

  return {
    url: `http://${loopbackHost}:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      unsubscribe();
      for (const client of webSockets.clients) client.terminate();
      await new Promise<void>((resolve) => webSockets.close(() => resolve()));
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
