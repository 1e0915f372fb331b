import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';

export interface TestPeer {
  port: number;
  host: string;
  server: Server;
  /** Every connection the peer accepted, in order. */
  connections: Socket[];
  /** Everything received, per connection. */
  received: Buffer[][];
  close(): Promise<void>;
}

/**
 * A real TCP peer on loopback. By default it echoes; `onConnection` replaces that
 * with whatever the test needs the peer to do.
 */
export async function startPeer(
  options: { host?: string; onConnection?: (socket: Socket, index: number) => void } = {},
): Promise<TestPeer> {
  const host = options.host ?? '127.0.0.1';
  const connections: Socket[] = [];
  const received: Buffer[][] = [];
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    const index = connections.length;
    connections.push(socket);
    received.push([]);
    socket.on('data', (chunk) => received[index]!.push(chunk));
    socket.on('error', () => {});
    if (options.onConnection) options.onConnection(socket, index);
    else {
      socket.pipe(socket);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    host,
    server,
    connections,
    received,
    close: () =>
      new Promise((resolve) => {
        for (const socket of connections) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 with nothing listening (bound, then released). */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export function hasCommand(command: string, versionFlag = '-V'): boolean {
  return spawnSync(command, [versionFlag], { stdio: 'ignore' }).error === undefined;
}

/** Runs a child until the test ends it. */
export function startChild(command: string, args: string[]): ChildProcess {
  return spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * A listener whose accept queue is full, so a further connect gets no answer at
 * all (its SYN is dropped): the loopback way to make a connect time out.
 * Python does it because Node's servers always accept.
 */
export async function startFullBacklogListener(): Promise<{
  port: number;
  close(): void;
} | null> {
  if (!hasCommand('python3', '--version')) return null;
  const child = startChild('python3', [
    '-c',
    [
      'import socket, time',
      's = socket.socket()',
      "s.bind(('127.0.0.1', 0))",
      's.listen(0)',
      'print(s.getsockname()[1], flush=True)',
      'fillers = []',
      'time.sleep(60)',
    ].join('\n'),
  ]);
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.once('data', (data: Buffer) => resolve(Number(data.toString().trim())));
    child.once('error', reject);
  });
  return { port, close: () => child.kill('SIGKILL') };
}

/**
 * A loopback port where a connect gets no answer until it is cancelled or times
 * out: a full-backlog listener with its queue filled. Null without python3.
 */
export async function startUnansweredPort(): Promise<{ port: number; close(): void } | null> {
  const listener = await startFullBacklogListener();
  if (listener === null) return null;
  // Backlog 0 holds one; later SYNs are dropped unanswered.
  const fillers: Socket[] = [];
  for (let i = 0; i < 3; i++) {
    const filler = connect(listener.port, '127.0.0.1');
    filler.on('error', () => {});
    fillers.push(filler);
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
  return {
    port: listener.port,
    close: () => {
      fillers.forEach((filler) => filler.destroy());
      listener.close();
    },
  };
}
