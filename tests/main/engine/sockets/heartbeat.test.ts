import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import type { HeartbeatState } from '@shared/contract';
import { Engine } from '../../../../src/main/engine';
import { backoffDelay } from '../../../../src/main/engine/sockets/heartbeat';
import { call, eventually, tcpClientInfo } from '../../../support/engine-calls';
import { startPeer } from '../../../support/peers';
import type { TestPeer } from '../../../support/peers';

/** A peer that answers each "ping" with "pong" after `delayMs`, while `answering` says so. */
async function pongPeer(delayMs: number): Promise<TestPeer & { control: { answering: boolean } }> {
  const control = { answering: true };
  const peer = await startPeer({
    onConnection: (socket: Socket) => {
      socket.on('data', (chunk) => {
        const pings = chunk.toString().split('ping').length - 1;
        for (let index = 0; index < pings; index++)
          setTimeout(() => {
            if (control.answering && !socket.destroyed) socket.write('pong');
          }, delayMs);
      });
    },
  });
  return Object.assign(peer, { control });
}

const ping = { format: 'text' as const, text: 'ping' };
const expectPong = { kind: 'exact' as const, value: 'pong' };

describe('heartbeats against real peers on loopback', () => {
  let engine: Engine;
  const cleanups: (() => unknown)[] = [];

  beforeAll(async () => {
    engine = await Engine.start({ transport: 'web', version: 'test' });
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });
  afterAll(async () => {
    await engine.close();
  });

  async function heartbeatOf(sessionId: string): Promise<HeartbeatState> {
    const info = await tcpClientInfo(engine, sessionId);
    if (info.heartbeat === null) throw new Error('no heartbeat');
    return info.heartbeat;
  }

  it('measures the round trip against a peer that answers after a known delay', async () => {
    const peer = await pongPeer(40);
    cleanups.push(() => peer.close());
    const session = await call(engine, 'tcp.connect', { host: '127.0.0.1', port: peer.port });
    cleanups.push(() => call(engine, 'session.remove', { sessionId: session.id }));
    await call(engine, 'session.heartbeat', {
      sessionId: session.id,
      heartbeat: { intervalMs: 100, payload: ping, expect: expectPong, replyTimeoutMs: 1000 },
    });
    const state = await eventually(async () => {
      const heartbeat = await heartbeatOf(session.id);
      expect(heartbeat.replies).toBeGreaterThanOrEqual(5);
      return heartbeat;
    }, 10_000);
    expect(state.rtt!.minMs).toBeGreaterThanOrEqual(39);
    expect(state.rtt!.avgMs).toBeGreaterThanOrEqual(40);
    // Generous: a loaded machine delays timers, but not by seconds.
    expect(state.rtt!.avgMs).toBeLessThan(400);
    expect(state.rtt!.maxMs).toBeGreaterThanOrEqual(state.rtt!.avgMs);
    expect(state.rtt!.mdevMs).toBeGreaterThanOrEqual(0);
    expect(state.history.length).toBeGreaterThanOrEqual(5);
    expect(state.lost).toBe(0);
    expect(state.dead).toBe(false);
    // The beats are in the log as sent records, the pongs as received ones.
    const records = [...engine.log.iterate(session.id)];
    expect(records.filter((r) => r.direction === 'out').length).toBeGreaterThanOrEqual(5);
  });

  it('declares a peer that stops answering dead after interval × missed, within an interval', async () => {
    const peer = await pongPeer(0);
    cleanups.push(() => peer.close());
    const session = await call(engine, 'tcp.connect', { host: '127.0.0.1', port: peer.port });
    cleanups.push(() => call(engine, 'session.remove', { sessionId: session.id }));
    const intervalMs = 100;
    const missed = 3;
    await call(engine, 'session.heartbeat', {
      sessionId: session.id,
      heartbeat: { intervalMs, payload: ping, expect: expectPong, missedBeforeDead: missed },
    });
    await eventually(async () =>
      expect((await heartbeatOf(session.id)).replies).toBeGreaterThan(2),
    );
    peer.control.answering = false;
    const stoppedAt = performance.now();
    await eventually(
      async () => expect((await tcpClientInfo(engine, session.id)).state).toBe('dead'),
      5000,
    );
    const deadAfter = performance.now() - stoppedAt;
    // The first unanswered beat goes out within an interval; it and the next ones time out an interval later.
    expect(deadAfter).toBeGreaterThanOrEqual(missed * intervalMs - intervalMs);
    // The slack is for a busy machine's timers, not for the heartbeat.
    expect(deadAfter).toBeLessThanOrEqual((missed + 1) * intervalMs + 600);
    const heartbeat = await heartbeatOf(session.id);
    expect(heartbeat.dead).toBe(true);
    expect(heartbeat.missedInRow).toBeGreaterThanOrEqual(missed);
    expect(heartbeat.lossPct).toBeGreaterThan(0);
    const events = [...engine.log.iterate(session.id)].filter((r) => r.event === 'dead');
    expect(events[0]?.message).toMatch(/No reply to 3 heartbeats in a row: the peer is dead/);
    // Marked only: it comes back when the peer answers again.
    peer.control.answering = true;
    await eventually(
      async () => expect((await tcpClientInfo(engine, session.id)).state).toBe('connected'),
      5000,
    );
  });

  it('counts a peer that answers late as late, not dead', async () => {
    const peer = await pongPeer(140);
    cleanups.push(() => peer.close());
    const session = await call(engine, 'tcp.connect', { host: '127.0.0.1', port: peer.port });
    cleanups.push(() => call(engine, 'session.remove', { sessionId: session.id }));
    await call(engine, 'session.heartbeat', {
      sessionId: session.id,
      heartbeat: { intervalMs: 100, payload: ping, expect: expectPong, missedBeforeDead: 3 },
    });
    const state = await eventually(async () => {
      const heartbeat = await heartbeatOf(session.id);
      expect(heartbeat.late).toBeGreaterThanOrEqual(4);
      return heartbeat;
    }, 10_000);
    expect(state.dead).toBe(false);
    expect((await tcpClientInfo(engine, session.id)).state).toBe('connected');
    expect(state.rtt!.minMs).toBeGreaterThanOrEqual(139);
  });

  it('sends nothing in quiet mode while traffic flows, and beats once the link is quiet', async () => {
    const echo = await startPeer();
    cleanups.push(() => echo.close());
    const session = await call(engine, 'tcp.connect', { host: '127.0.0.1', port: echo.port });
    cleanups.push(() => call(engine, 'session.remove', { sessionId: session.id }));
    await call(engine, 'session.repeat', {
      sessionId: session.id,
      payload: { format: 'text', text: 'data' },
      intervalMs: 10,
      count: 0,
    });
    await call(engine, 'session.heartbeat', {
      sessionId: session.id,
      heartbeat: { intervalMs: 80, payload: ping, when: 'quiet', quietOn: 'both' },
    });
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect((await heartbeatOf(session.id)).sent).toBe(0);
    await call(engine, 'session.stopRepeat', { sessionId: session.id });
    await eventually(
      async () => expect((await heartbeatOf(session.id)).sent).toBeGreaterThan(1),
      5000,
    );
    // With no expected reply, the echoed beat is the sign of life.
    expect((await heartbeatOf(session.id)).replies).toBeGreaterThan(0);
  });

  it('reconnects with backoff to a listener that comes back', async () => {
    const silent: Socket[] = [];
    let server: Server = createServer((socket) => {
      silent.push(socket);
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          for (const socket of silent) socket.destroy();
          server.close(() => resolve());
        }),
    );
    const session = await call(engine, 'tcp.connect', { host: '127.0.0.1', port });
    cleanups.push(() => call(engine, 'session.remove', { sessionId: session.id }));
    await call(engine, 'session.heartbeat', {
      sessionId: session.id,
      heartbeat: {
        intervalMs: 50,
        payload: ping,
        expect: expectPong,
        missedBeforeDead: 2,
        onDead: 'reconnect',
        backoff: { firstDelayMs: 100, factor: 2, maxDelayMs: 300, maxAttempts: 0 },
      },
    });
    // Nobody answers: dead, and the listener goes away, so attempts are refused.
    await eventually(
      async () => expect((await tcpClientInfo(engine, session.id)).state).toBe('dead'),
      5000,
    );
    await new Promise<void>((resolve) => {
      for (const socket of silent) socket.destroy();
      server.close(() => resolve());
    });
    const attempts = () =>
      [...engine.log.iterate(session.id)]
        .filter((r) => r.event === 'reconnect')
        .map((r) => r.message);
    await eventually(() => expect(attempts().length).toBeGreaterThanOrEqual(3), 5000);
    expect(attempts().slice(0, 3)).toEqual([
      'Reconnect attempt 1 in 100 ms',
      'Reconnect attempt 2 in 200 ms',
      'Reconnect attempt 3 in 300 ms',
    ]);
    // The listener comes back on the same port, answering this time.
    server = createServer((socket) => {
      silent.push(socket);
      socket.on('error', () => {});
      socket.on('data', (chunk) => {
        if (chunk.includes('ping')) socket.write('pong');
      });
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    await eventually(async () => {
      const info = await tcpClientInfo(engine, session.id);
      expect(info.state).toBe('connected');
      expect(info.heartbeat!.replies).toBeGreaterThan(0);
    }, 10_000);
  });

  it('with reconnect chosen, also reconnects when the peer closes the connection', async () => {
    const peer = await pongPeer(0);
    cleanups.push(() => peer.close());
    const session = await call(engine, 'tcp.connect', {
      host: '127.0.0.1',
      port: peer.port,
      heartbeat: {
        intervalMs: 100,
        payload: ping,
        expect: expectPong,
        onDead: 'reconnect',
        backoff: { firstDelayMs: 50, factor: 2, maxDelayMs: 1000, maxAttempts: 3 },
      },
    });
    cleanups.push(() => call(engine, 'session.remove', { sessionId: session.id }));
    await eventually(() => expect(peer.connections).toHaveLength(1));
    peer.connections[0]!.end();
    await eventually(() => expect(peer.connections).toHaveLength(2), 5000);
    await eventually(async () =>
      expect((await tcpClientInfo(engine, session.id)).state).toBe('connected'),
    );
    // A close of our own does not reconnect.
    await call(engine, 'session.close', { sessionId: session.id });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(peer.connections).toHaveLength(2);
  });

  it('starts a heartbeat given with the connect', async () => {
    const peer = await pongPeer(0);
    cleanups.push(() => peer.close());
    const session = await call(engine, 'tcp.connect', {
      host: '127.0.0.1',
      port: peer.port,
      heartbeat: { intervalMs: 50, payload: ping, expect: expectPong },
    });
    cleanups.push(() => call(engine, 'session.remove', { sessionId: session.id }));
    expect(session.heartbeat).toMatchObject({ intervalMs: 50, expecting: true });
    await eventually(async () =>
      expect((await heartbeatOf(session.id)).replies).toBeGreaterThan(1),
    );
  });

  it('grows the backoff by its factor up to the maximum', () => {
    const backoff = { firstDelayMs: 100, factor: 2, maxDelayMs: 500, maxAttempts: 0 };
    expect([1, 2, 3, 4, 5].map((attempt) => backoffDelay(backoff, attempt))).toEqual([
      100, 200, 400, 500, 500,
    ]);
  });

  it('refuses bad settings naming the field', async () => {
    const peer = await pongPeer(0);
    cleanups.push(() => peer.close());
    const session = await call(engine, 'tcp.connect', { host: '127.0.0.1', port: peer.port });
    cleanups.push(() => call(engine, 'session.remove', { sessionId: session.id }));
    await expect(
      call(engine, 'session.heartbeat', {
        sessionId: session.id,
        heartbeat: { intervalMs: 5, payload: ping },
      }),
    ).rejects.toThrow(/intervalMs: must be at least 10 ms/);
    await expect(
      call(engine, 'session.heartbeat', {
        sessionId: session.id,
        heartbeat: { intervalMs: 100, payload: ping, expect: { kind: 'regex', value: 'po(ng' } },
      }),
    ).rejects.toThrow(/expect.value: is not a valid regular expression/);
  });
});

describe('TCP keep-alive probe interval and count', () => {
  it('are set where the runtime can, and refused naming the runtime where it cannot', async () => {
    const engine = await Engine.start({ transport: 'web', version: 'test' });
    const peer = await startPeer();
    try {
      const info = await call(engine, 'app.info', {});
      const connect = call(engine, 'tcp.connect', {
        host: '127.0.0.1',
        port: peer.port,
        keepAlive: true,
        keepAliveInitialDelayMs: 5000,
        keepAliveIntervalMs: 2000,
        keepAliveCount: 4,
      });
      if (info.keepAliveProbes) {
        const session = await connect;
        expect(session).toMatchObject({ keepAliveIntervalMs: 2000, keepAliveCount: 4 });
        expect(session.state).toBe('connected');
      } else {
        await expect(connect).rejects.toThrow(/sets only the keep-alive idle time/);
      }
    } finally {
      await engine.close();
      await peer.close();
    }
  });
});
