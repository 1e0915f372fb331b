import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, SockscopeError } from '@shared/errors';
import { Engine } from '../../../../src/main/engine';
import { writeQueueLimitBytes } from '../../../../src/main/engine/sockets/write-queue';
import { call, eventually, tcpClientInfo } from '../../../support/engine-calls';
import { startPeer } from '../../../support/peers';
import type { TestPeer } from '../../../support/peers';

const mebibyte = 1024 * 1024;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('sends to a peer that does not read', () => {
  let engine: Engine;
  let silent: TestPeer;

  beforeAll(async () => {
    engine = await Engine.start({ transport: 'web', version: 'test' });
    // Accepts and never reads: the kernel's buffers fill, then ours would.
    silent = await startPeer({ onConnection: (socket) => socket.pause() });
  });
  afterAll(async () => {
    await engine.close();
    await silent.close();
  });

  it('a 1 ms repeat waits once the write queue is backlogged: queued bytes, bytes sent and RSS stop growing', async () => {
    const session = await call(engine, 'tcp.connect', { host: '127.0.0.1', port: silent.port });
    const payload = {
      format: 'base64' as const,
      text: Buffer.alloc(64 * 1024, 7).toString('base64'),
    };
    await call(engine, 'session.repeat', { sessionId: session.id, payload, intervalMs: 1 });

    const waiting = await eventually(async () => {
      const info = await tcpClientInfo(engine, session.id);
      expect(info.repeat?.waiting).toBe(true);
      return info;
    }, 20_000);
    expect(waiting.writeQueue.queuedBytes).toBeLessThanOrEqual(writeQueueLimitBytes);
    const sentWhenWaiting = waiting.stats.bytesOut;
    const rssWhenWaiting = process.memoryUsage().rss;

    // Two seconds of 1 ms turns: about 2,000 sends of 64 KiB (125 MiB) without backpressure.
    await sleep(2000);
    const later = await tcpClientInfo(engine, session.id);
    expect(later.repeat?.waiting).toBe(true);
    expect(later.writeQueue.queuedBytes).toBeLessThanOrEqual(writeQueueLimitBytes);
    // The kernel took nothing more, so nothing more counts as sent.
    expect(later.stats.bytesOut - sentWhenWaiting).toBeLessThanOrEqual(2 * mebibyte);
    expect(process.memoryUsage().rss - rssWhenWaiting).toBeLessThan(64 * mebibyte);
    const words = [...engine.log.iterate(session.id)].map((record) => record.message ?? '');
    expect(words).toContainEqual(expect.stringMatching(/peer is not reading.*the repeat waits/));

    // Once the peer reads, the repeat goes on by itself.
    silent.connections.at(-1)!.resume();
    await eventually(async () => {
      const info = await tcpClientInfo(engine, session.id);
      expect(info.stats.bytesOut).toBeGreaterThan(later.stats.bytesOut + 4 * mebibyte);
    }, 20_000);
    await call(engine, 'session.remove', { sessionId: session.id });
  }, 60_000);

  it('pipelined large sends are refused past the write queue limit, with words', async () => {
    const session = await call(engine, 'tcp.connect', { host: '127.0.0.1', port: silent.port });
    const sixMiB = Buffer.alloc(6 * mebibyte, 1).toString('base64');
    const sends = Array.from({ length: 20 }, () =>
      call(engine, 'session.send', {
        sessionId: session.id,
        payload: { format: 'base64', text: sixMiB },
      }),
    );
    const refused = await eventually(async () => {
      const settled = await Promise.all(
        sends.map((send) =>
          Promise.race([
            send.then(
              () => 'sent',
              (error: unknown) => error,
            ),
            sleep(50).then(() => 'pending'),
          ]),
        ),
      );
      const errors = settled.filter((each) => each instanceof SockscopeError);
      // 120 MiB asked: the kernel takes a few MiB, the queue at most 16 MiB.
      expect(errors.length).toBeGreaterThanOrEqual(12);
      return errors;
    }, 20_000);
    for (const error of refused) {
      expect(error.code).toBe(ErrorCode.sendQueueFull);
      expect(error.message).toMatch(/^Cannot send 6291456 bytes on .*wait for the peer to read/);
    }
    const info = await tcpClientInfo(engine, session.id);
    expect(info.writeQueue.queuedBytes).toBeLessThanOrEqual(writeQueueLimitBytes);
    expect(info.writeQueue.queuedBytes).toBeGreaterThan(0);
    // Closing ends the waiting sends with an error rather than leaving them hanging.
    const rest = Promise.allSettled(sends);
    await call(engine, 'session.remove', { sessionId: session.id });
    expect((await rest).filter((each) => each.status === 'rejected').length).toBeGreaterThanOrEqual(
      refused.length,
    );
  }, 60_000);
});
