import { afterEach, describe, expect, it } from 'vitest';
import type { EventBatch } from '@shared/contract';
import { Engine } from '../../../../src/main/engine';
import { call, collectBatches, eventually } from '../../../support/engine-calls';
import { startPeer } from '../../../support/peers';

/** Replays batches the way the renderer's sessions state does: update adds, removed forgets. */
function sessionsSeenBy(batches: readonly EventBatch[]): Set<string> {
  const known = new Set<string>();
  for (const batch of batches)
    for (const event of batch.events) {
      if (event.type === 'session.update') known.add(event.session.id);
      else if (event.type === 'session.removed') known.delete(event.sessionId);
    }
  return known;
}

describe('removing sessions', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('removes connected sessions under traffic without any coming back', async () => {
    const engine = await Engine.start({ transport: 'web', version: 'test' });
    cleanups.push(() => engine.close());
    // The peer echoes and also talks on its own every few ms, so state and records keep flowing.
    const peer = await startPeer({
      onConnection: (socket) => {
        socket.pipe(socket);
        const timer = setInterval(() => socket.write('tick\r\n'), 2);
        socket.on('close', () => clearInterval(timer));
      },
    });
    cleanups.push(() => peer.close());
    const { batches, stop } = collectBatches(engine);
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const session = await call(engine, 'tcp.connect', { host: '127.0.0.1', port: peer.port });
      expect(session.state).toBe('connected');
      await call(engine, 'session.repeat', {
        sessionId: session.id,
        payload: { format: 'text', text: `s${i}` },
        intervalMs: 1,
      });
      ids.push(session.id);
    }
    await eventually(() => expect(engine.log.stats().records).toBeGreaterThan(500));
    // Removed one after another and all at once, while traffic flows.
    for (const id of ids.slice(0, 6)) await call(engine, 'session.remove', { sessionId: id });
    await Promise.all(ids.slice(6).map((id) => call(engine, 'session.remove', { sessionId: id })));
    await new Promise((resolve) => setTimeout(resolve, 200));
    engine.events.flush();
    stop();

    expect(sessionsSeenBy(batches)).toEqual(new Set());
    for (const id of ids) {
      const removedIn = batches.findIndex((batch) =>
        batch.events.some((event) => event.type === 'session.removed' && event.sessionId === id),
      );
      expect(removedIn, `removal of ${id}`).toBeGreaterThanOrEqual(0);
      const after = batches.slice(removedIn).flatMap((batch) => {
        const events = batch.events;
        const start =
          batch === batches[removedIn]
            ? events.findIndex((e) => e.type === 'session.removed' && e.sessionId === id) + 1
            : 0;
        return events.slice(start);
      });
      const ghost = after.find(
        (event) =>
          (event.type === 'session.update' && event.session.id === id) ||
          (event.type === 'log.records' && event.records.some((r) => r.sessionId === id)),
      );
      expect(ghost, `event for ${id} after its removal`).toBeUndefined();
    }
    expect(await call(engine, 'session.list', {})).toEqual([]);
  });
});

describe('destinations', () => {
  it('refuses a datagram address or a peer set on a TCP client, with a coded error', async () => {
    const engine = await Engine.start({ transport: 'web', version: 'test' });
    const peer = await startPeer();
    try {
      const session = await call(engine, 'tcp.connect', { host: '127.0.0.1', port: peer.port });
      const payload = { format: 'text', text: 'x' } as const;
      await expect(
        call(engine, 'session.send', {
          sessionId: session.id,
          payload,
          to: { host: '127.0.0.1', port: 9 },
        }),
      ).rejects.toMatchObject({ code: 'ERR_SESSION_UNSUPPORTED', message: /^to: .*UDP/ });
      await expect(
        call(engine, 'session.repeat', {
          sessionId: session.id,
          payload,
          intervalMs: 10,
          peers: 'all',
        }),
      ).rejects.toMatchObject({
        code: 'ERR_SESSION_UNSUPPORTED',
        message: /^peers: .*TCP servers/,
      });
      expect((await call(engine, 'session.info', { sessionId: session.id })).repeat).toBeNull();
      expect(engine.log.stats().records).toBe(2);
    } finally {
      await engine.close();
      await peer.close();
    }
  });
});
