import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import type { Socket } from 'node:net';

/** A real TCP client on loopback, recording what it got and how the connection ended. */
export interface TestClient {
  socket: Socket;
  /** Everything received so far, joined. */
  received(): Buffer;
  /** The client's own port (what the server sees as the peer's port). */
  localPort: number;
  /** Resolves with how the connection ended: the server's FIN, an error code, or a close. */
  ended: Promise<'fin' | string>;
}

export async function connectClient(port: number, host = '127.0.0.1'): Promise<TestClient> {
  const socket = connect({ port, host, allowHalfOpen: true });
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<string>((resolve) => {
    socket.once('end', () => resolve('fin'));
    // `on`, not `once`: a second error (a write after a reset) with no listener would be
    // thrown from the socket and fail the whole run.
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    socket.once('close', () => resolve('close'));
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return {
    socket,
    received: () => Buffer.concat(chunks),
    localPort: socket.localPort ?? 0,
    ended,
  };
}

/** Runs a command to its end with `input` on stdin; its stdout as bytes and its exit code. */
export function runTool(
  command: string,
  args: string[],
  input: Buffer | string = '',
  timeoutMs = 15_000,
): Promise<{ stdout: Buffer; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout: Buffer.concat(out), stderr, code });
    });
    child.stdin.end(input);
  });
}
