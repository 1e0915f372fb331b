import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, SockscopeError } from '@shared/errors';
import { Engine } from '../../../../src/main/engine';
import { writeQueueLimitBytes } from '../../../../src/main/engine/sockets/write-queue';
import { call, eventually } from '../../../support/engine-calls';
import { base64, expectReceived, fillQueue } from '../../../support/write-queue';
import { startPeer } from '../../../support/peers';
import type { TestPeer } from '../../../support/peers';

const kibibyte = 1024;
const mebibyte = 1024 * kibibyte;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * What the renderer's file send does: 64 KiB pieces, each awaited, each told to
 * wait for room. Resolves with the bytes sent; `progress` counts them as it goes.
 */
async function sendFile(
  engine: Engine,
  file: Uint8Array,
  target: { sessionId: string; peers?: 'all' },
  progress: { sent: number },
): Promise<void> {
  while (progress.sent < file.byteLength) {
    const piece = file.subarray(progress.sent, progress.sent + 64 * kibibyte);
    await call(engine, 'session.send', { ...target, payload: base64(piece), whenFull: 'wait' });
    progress.sent += piece.byteLength;
  }
}

/** Samples a session's queued bytes every 10 ms until stopped; the largest seen. */
function watchQueue(engine: Engine, sessionId: string): { stop(): Promise<number> } {
  let largest = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const info = await call(engine, 'session.info', { sessionId });
      largest = Math.max(largest, info.writeQueue.queuedBytes);
      await sleep(10);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return largest;
    },
  };
}

describe('a file sent while the write queue is full', () => {
  let engine: Engine;

  beforeAll(async () => {
    engine = await Engine.start({ transport: 'web', version: 'test' });
  });
  afterAll(async () => engine.close());

  describe('from a TCP client', () => {
    let silent: TestPeer;
    beforeAll(async () => {
      // Accepts and does not read until the test resumes it.
      silent = await startPeer({ onConnection: (socket) => socket.pause() });
    });
    afterAll(async () => silent.close());

    it('pauses while the peer does not read, goes on when it does, and arrives byte-exact', async () => {
      const session = await call(engine, 'tcp.connect', { host: '127.0.0.1', port: silent.port });
      const watch = watchQueue(engine, session.id);
      const backlog = await fillQueue(engine, { sessionId: session.id });
      // The file's pieces wait: once the queue is full, no more of the file goes.
      const file = randomBytes(3 * mebibyte + 12_345);
      const progress = { sent: 0 };
      const fileSent = sendFile(engine, file, { sessionId: session.id }, progress);
      await sleep(1000);
      const paused = progress.sent;
      expect(paused).toBeLessThan(mebibyte);
      await sleep(1000);
      expect(progress.sent).toBe(paused);

      silent.connections.at(-1)!.resume();
      await fileSent;
      await backlog.sent;
      expect(progress.sent).toBe(file.byteLength);
      await expectReceived(
        () => silent.received.at(-1)!,
        Buffer.concat([...backlog.accepted, file]),
      );
      expect(await watch.stop()).toBeLessThanOrEqual(writeQueueLimitBytes);
      await call(engine, 'session.remove', { sessionId: session.id });
    }, 60_000);

    it('a waiting piece ends with the session’s words when the session closes', async () => {
      const session = await call(engine, 'tcp.connect', { host: '127.0.0.1', port: silent.port });
      const backlog = await fillQueue(engine, { sessionId: session.id });
      backlog.sent.catch(() => {});
      const waiting = call(engine, 'session.send', {
        sessionId: session.id,
        payload: base64(randomBytes(64 * kibibyte)),
        whenFull: 'wait',
      });
      await sleep(200);
      await call(engine, 'session.close', { sessionId: session.id });
      await expect(waiting).rejects.toSatisfy(
        (error: unknown) =>
          error instanceof SockscopeError && error.code === ErrorCode.sessionNotConnected,
      );
      await call(engine, 'session.remove', { sessionId: session.id });
    }, 30_000);
  });

  describe('cancelled', () => {
    let silent: TestPeer;
    beforeAll(async () => {
      silent = await startPeer({ onConnection: (socket) => socket.pause() });
    });
    afterAll(async () => silent.close());

    it('a waiting piece is called off and never sent, even once the peer reads', async () => {
      const session = await call(engine, 'tcp.connect', { host: '127.0.0.1', port: silent.port });
      const backlog = await fillQueue(engine, { sessionId: session.id });
      const piece = Buffer.alloc(64 * kibibyte, 0xee);
      const waiting = call(engine, 'session.send', {
        sessionId: session.id,
        payload: base64(piece),
        whenFull: 'wait',
      });
      await sleep(200);
      expect(await call(engine, 'session.cancelWaitingSends', { sessionId: session.id })).toEqual({
        cancelled: 1,
      });
      await expect(waiting).rejects.toSatisfy(
        (error: unknown) =>
          error instanceof SockscopeError && error.code === ErrorCode.sendCancelled,
      );
      expect(await call(engine, 'session.cancelWaitingSends', { sessionId: session.id })).toEqual({
        cancelled: 0,
      });

      silent.connections.at(-1)!.resume();
      await backlog.sent;
      await expectReceived(() => silent.received.at(-1)!, Buffer.concat(backlog.accepted));
      await call(engine, 'session.remove', { sessionId: session.id });
    }, 60_000);
  });

  it('from a TCP server to a client that stops reading: pauses, then every byte arrives', async () => {
    const server = await call(engine, 'tcp.listen', { host: '127.0.0.1', port: 0 });
    const client: Socket = connect(server.local!.port, '127.0.0.1');
    const received: Buffer[] = [];
    client.on('data', (chunk: Buffer) => received.push(chunk));
    await new Promise((resolve) => client.once('connect', resolve));
    client.pause();
    await eventually(async () => {
      const info = await call(engine, 'session.info', { sessionId: server.id });
      expect(info.kind === 'tcp-server' && info.peerIds.length).toBe(1);
    });
    const watch = watchQueue(engine, server.id);
    const backlog = await fillQueue(engine, { sessionId: server.id, peers: 'all' });
    const file = randomBytes(2 * mebibyte + 777);
    const progress = { sent: 0 };
    const fileSent = sendFile(engine, file, { sessionId: server.id, peers: 'all' }, progress);
    await sleep(1000);
    const paused = progress.sent;
    expect(paused).toBeLessThan(mebibyte);
    await sleep(1000);
    expect(progress.sent).toBe(paused);

    client.resume();
    await fileSent;
    await backlog.sent;
    await expectReceived(() => received, Buffer.concat([...backlog.accepted, file]));
    expect(await watch.stop()).toBeLessThanOrEqual(writeQueueLimitBytes);
    client.destroy();
    await call(engine, 'session.remove', { sessionId: server.id });
  }, 60_000);
});
