import { randomBytes } from 'node:crypto';
import { ErrorCode, SockscopeError } from '@shared/errors';
import { expect } from 'vitest';
import type { Engine } from '../../src/main/engine';
import { call, eventually } from './engine-calls';

const mebibyte = 1024 * 1024;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Bytes as a base64 payload, sent exactly. */
export const base64 = (bytes: Uint8Array) => ({
  format: 'base64' as const,
  text: Buffer.from(bytes).toString('base64'),
});

const isQueueFull = (error: unknown): boolean =>
  error instanceof SockscopeError && error.code === ErrorCode.sendQueueFull;

/**
 * Plain 1 MiB sends, 20 ms apart, until one is refused as past the queue's limit:
 * by then the kernel's buffers (up to tens of MiB on loopback) are full as well
 * and the queue holds more than its limit less 1 MiB. The pieces taken, in order.
 */
export async function fillQueue(
  engine: Engine,
  target: { sessionId: string; peers?: 'all' },
): Promise<{ accepted: Buffer[]; sent: Promise<unknown> }> {
  const accepted: Buffer[] = [];
  const sends: Promise<unknown>[] = [];
  for (let index = 0; index < 100; index += 1) {
    const piece = randomBytes(mebibyte);
    const sent = call(engine, 'session.send', { ...target, payload: base64(piece) });
    const refused = await Promise.race([
      sent.then(
        () => false,
        (error: unknown) => {
          if (isQueueFull(error)) return true;
          throw error;
        },
      ),
      sleep(20).then(() => false),
    ]);
    if (refused) return { accepted, sent: Promise.all(sends) };
    accepted.push(piece);
    sends.push(sent);
  }
  throw new Error('100 MiB went out and no send was refused: the peer reads');
}

/**
 * Waits until the peer has received as many bytes as expected, then a little more
 * (nothing else may follow), and checks they are exactly the bytes expected.
 */
export async function expectReceived(received: () => Buffer[], expected: Buffer): Promise<void> {
  const all = () => Buffer.concat(received());
  await eventually(() => expect(all().byteLength).toBe(expected.byteLength), 20_000);
  await sleep(200);
  expect(all().byteLength).toBe(expected.byteLength);
  expect(all().equals(expected)).toBe(true);
}
