import { createSocket } from 'node:dgram';
import type { RemoteInfo, Socket } from 'node:dgram';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { HeartbeatState, UdpInfo } from '@shared/contract';
import { Engine } from '../../../../src/main/engine';
import { call, eventually, udpInfo } from '../../../support/engine-calls';

interface DgramPeer {
  socket: Socket;
  port: number;
  received: { text: string; from: RemoteInfo }[];
  /** Whether it answers "ping" with "pong" (after its delay). */
  control: { answering: boolean };
  close(): Promise<void>;
}

/** A real dgram peer on loopback; with `pongAfterMs` it answers each "ping" with "pong" after that delay. */
async function dgramPeer(pongAfterMs: number | null = null): Promise<DgramPeer> {
  const socket = createSocket('udp4');
  const received: DgramPeer['received'] = [];
  const control = { answering: true };
  let closed = false;
  socket.on('message', (message, from) => {
    received.push({ text: message.toString('latin1'), from });
    if (pongAfterMs === null || message.toString() !== 'ping') return;
    setTimeout(() => {
      // A send on a closed socket throws, and a throw in a timer fails the whole run.
      if (control.answering && !closed) socket.send('pong', from.port, from.address);
    }, pongAfterMs);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    socket,
    port: socket.address().port,
    received,
    control,
    close: () => {
      closed = true;
      return new Promise((resolve) => socket.close(() => resolve()));
    },
  };
}

const ping = { format: 'text' as const, text: 'ping' };
const expectPong = { kind: 'exact' as const, value: 'pong' };

describe('heartbeats and reply rules on a UDP socket, against real peers on loopback', () => {
  let engine: Engine;
  const cleanups: (() => unknown)[] = [];

  beforeAll(async () => {
    engine = await Engine.start({ transport: 'web', version: 'test' });
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(async () => engine.close());

  async function peer(pongAfterMs: number | null = null): Promise<DgramPeer> {
    const made = await dgramPeer(pongAfterMs);
    cleanups.push(() => made.close());
    return made;
  }

  async function bound(args: Parameters<typeof call<'udp.bind'>>[2] = {}): Promise<UdpInfo> {
    const info = await call(engine, 'udp.bind', { localAddress: '127.0.0.1', ...args });
    cleanups.push(() => call(engine, 'session.remove', { sessionId: info.id }));
    return info;
  }

  async function heartbeatOf(sessionId: string): Promise<HeartbeatState> {
    const heartbeat = (await udpInfo(engine, sessionId)).heartbeat;
    if (heartbeat === null) throw new Error('no heartbeat');
    return heartbeat;
  }

  it('measures the round trip to the destination against a peer that answers after a known delay', async () => {
    const answering = await peer(40);
    const socket = await bound();
    await call(engine, 'session.heartbeat', {
      sessionId: socket.id,
      heartbeat: {
        intervalMs: 100,
        payload: ping,
        expect: expectPong,
        replyTimeoutMs: 1000,
        to: { host: '127.0.0.1', port: answering.port },
      },
    });
    const state = await eventually(async () => {
      const heartbeat = await heartbeatOf(socket.id);
      expect(heartbeat.replies).toBeGreaterThanOrEqual(5);
      return heartbeat;
    }, 10_000);
    expect(state.rtt!.minMs).toBeGreaterThanOrEqual(39);
    expect(state.rtt!.avgMs).toBeGreaterThanOrEqual(40);
    // Generous: a loaded machine delays timers, but not by seconds.
    expect(state.rtt!.avgMs).toBeLessThan(400);
    expect(state.lost).toBe(0);
    // The beats left from the bound socket, so the answers came back to it.
    const local = (await udpInfo(engine, socket.id)).local!;
    expect(answering.received.every((entry) => entry.from.port === local.port)).toBe(true);
    expect(answering.received.map((entry) => entry.text)).toContain('ping');
  });

  it('beats to the connected default peer when no destination is given (bound with the heartbeat)', async () => {
    const answering = await peer(0);
    const socket = await bound({
      connectTo: { host: '127.0.0.1', port: answering.port },
      heartbeat: { intervalMs: 50, payload: ping, expect: expectPong },
    });
    expect(socket.heartbeat).not.toBeNull();
    await eventually(async () => expect((await heartbeatOf(socket.id)).replies).toBeGreaterThan(2));
  });

  it('waits while disconnected from the default peer it beats to, saying so once, and beats again once connected', async () => {
    const answering = await peer(0);
    const socket = await bound({
      connectTo: { host: '127.0.0.1', port: answering.port },
      heartbeat: { intervalMs: 40, payload: ping, expect: expectPong },
    });
    await eventually(async () => expect((await heartbeatOf(socket.id)).replies).toBeGreaterThan(1));
    await call(engine, 'udp.disconnect', { sessionId: socket.id });
    const waits = () =>
      [...engine.log.iterate(socket.id)].filter((r) => r.params?.what === 'heartbeat-waits');
    expect(waits()).toHaveLength(1);
    const sentAtDisconnect = (await heartbeatOf(socket.id)).sent;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await heartbeatOf(socket.id)).sent).toBe(sentAtDisconnect);
    // Nothing was sent and no error was logged while it waited.
    expect([...engine.log.iterate(socket.id)].filter((r) => r.event === 'error')).toEqual([]);
    await call(engine, 'udp.connect', {
      sessionId: socket.id,
      host: '127.0.0.1',
      port: answering.port,
    });
    await eventually(async () =>
      expect((await heartbeatOf(socket.id)).sent).toBeGreaterThan(sentAtDisconnect + 1),
    );
    expect(waits()).toHaveLength(1);
  });

  it('declares a peer that stops answering dead within (missed ± 1) × interval, and revives it', async () => {
    const answering = await peer(0);
    const socket = await bound();
    const intervalMs = 100;
    const missed = 3;
    await call(engine, 'session.heartbeat', {
      sessionId: socket.id,
      heartbeat: {
        intervalMs,
        payload: ping,
        expect: expectPong,
        missedBeforeDead: missed,
        to: { host: '127.0.0.1', port: answering.port },
      },
    });
    await eventually(async () => expect((await heartbeatOf(socket.id)).replies).toBeGreaterThan(2));
    answering.control.answering = false;
    const stoppedAt = performance.now();
    await eventually(
      async () => expect((await udpInfo(engine, socket.id)).state).toBe('dead'),
      5000,
    );
    const deadAfter = performance.now() - stoppedAt;
    expect(deadAfter).toBeGreaterThanOrEqual((missed - 1) * intervalMs);
    // One interval of schedule, plus headroom for a busy machine's timers and polling.
    expect(deadAfter).toBeLessThanOrEqual((missed + 1) * intervalMs + 600);
    const dead = [...engine.log.iterate(socket.id)].filter((record) => record.event === 'dead');
    expect(dead[0]?.message).toBe(
      `No reply from 127.0.0.1:${answering.port} to 3 heartbeats in a row: the peer is dead (the socket stays open)`,
    );
    // Marked only: the socket still works, and comes back when the peer answers.
    answering.control.answering = true;
    await eventually(
      async () => expect((await udpInfo(engine, socket.id)).state).toBe('bound'),
      5000,
    );
  });

  it('closes the socket of a dead peer when asked to', async () => {
    const silent = await peer(null);
    const socket = await bound({
      heartbeat: {
        intervalMs: 50,
        payload: ping,
        missedBeforeDead: 2,
        onDead: 'close',
        to: { host: '127.0.0.1', port: silent.port },
      },
    });
    await eventually(async () => {
      const info = await udpInfo(engine, socket.id);
      expect(info.state).toBe('dead');
      expect(info.fd).toBeNull();
      expect(info.closedAtUs).not.toBeNull();
    }, 5000);
    // Closed: no beat leaves after it (the peer's count settles once the last one lands).
    const sent = () => [...engine.log.iterate(socket.id)].filter((r) => r.direction === 'out');
    const sentAtClose = sent().length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sent()).toHaveLength(sentAtClose);
    await eventually(() => expect(silent.received.length).toBeGreaterThanOrEqual(sentAtClose));
    const arrived = silent.received.length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(silent.received).toHaveLength(arrived);
  });

  it('counts only datagrams from the heartbeat peer: a third address saying "pong" is no reply', async () => {
    const silent = await peer(null);
    const third = await peer(null);
    const socket = await bound();
    const port = socket.local!.port;
    await call(engine, 'session.heartbeat', {
      sessionId: socket.id,
      heartbeat: {
        intervalMs: 60,
        payload: ping,
        expect: expectPong,
        missedBeforeDead: 4,
        to: { host: '127.0.0.1', port: silent.port },
      },
    });
    // The third address answers every ping the silent peer gets, as fast as it can.
    const forged = setInterval(() => third.socket.send('pong', port, '127.0.0.1'), 10);
    cleanups.push(() => clearInterval(forged));
    await eventually(
      async () => expect((await udpInfo(engine, socket.id)).state).toBe('dead'),
      5000,
    );
    const heartbeat = await heartbeatOf(socket.id);
    expect(heartbeat.replies).toBe(0);
    expect(heartbeat.rtt).toBeNull();
    // With no expected reply, any data is a sign of life, but still only from that peer.
    await call(engine, 'session.heartbeat', {
      sessionId: socket.id,
      heartbeat: {
        intervalMs: 60,
        payload: ping,
        missedBeforeDead: 4,
        to: { host: '127.0.0.1', port: silent.port },
      },
    });
    await eventually(
      async () => expect((await udpInfo(engine, socket.id)).state).toBe('dead'),
      5000,
    );
    expect((await heartbeatOf(socket.id)).replies).toBe(0);
    const inbound = [...engine.log.iterate(socket.id)].filter((r) => r.direction === 'in');
    expect(inbound.length).toBeGreaterThan(10);
  });

  it('answers "ping" with "pong" to each of two senders at its own address, tagged with the rule', async () => {
    const first = await peer(null);
    const second = await peer(null);
    const socket = await bound();
    const port = socket.local!.port;
    await call(engine, 'session.rules', {
      sessionId: socket.id,
      rules: [
        {
          name: 'responder',
          match: { kind: 'exact', value: 'ping' },
          reply: { format: 'text', text: 'pong' },
        },
      ],
    });
    first.socket.send('ping', port, '127.0.0.1');
    second.socket.send('ping', port, '127.0.0.1');
    second.socket.send('ping', port, '127.0.0.1');
    await eventually(() => {
      expect(first.received.map((entry) => entry.text)).toEqual(['pong']);
      expect(second.received.map((entry) => entry.text)).toEqual(['pong', 'pong']);
    });
    for (const entry of [...first.received, ...second.received]) expect(entry.from.port).toBe(port);
    const sent = [...engine.log.iterate(socket.id)].filter((r) => r.direction === 'out');
    expect(sent.map((r) => r.message)).toEqual([
      'rule "responder"',
      'rule "responder"',
      'rule "responder"',
    ]);
    expect(sent.map((r) => r.remote?.port).sort()).toEqual(
      [first.port, second.port, second.port].sort(),
    );
    const info = await udpInfo(engine, socket.id);
    expect(info.rules?.rules[0]).toMatchObject({ name: 'responder', hits: 3 });
    const peers = Object.fromEntries(info.peers.map((p) => [p.port, p]));
    expect(peers[second.port]).toMatchObject({ datagramsIn: 2, datagramsOut: 2 });
  });

  it('fills regex captures into the reply, with a delay', async () => {
    const asker = await peer(null);
    const socket = await bound();
    await call(engine, 'session.rules', {
      sessionId: socket.id,
      rules: [
        {
          name: 'get',
          match: { kind: 'regex', value: '^GET (\\w+) (?<id>\\d+)$' },
          reply: { format: 'text', text: 'OK $1 #$<id>' },
          delayMs: 30,
        },
      ],
    });
    const sentAt = performance.now();
    asker.socket.send('GET temp 42', socket.local!.port, '127.0.0.1');
    await eventually(() =>
      expect(asker.received.map((entry) => entry.text)).toEqual(['OK temp #42']),
    );
    expect(performance.now() - sentAt).toBeGreaterThanOrEqual(29);
  });

  it('refuses a heartbeat with no destination, one asking to reconnect, and a destination on a TCP client, naming the field', async () => {
    const socket = await bound();
    await expect(
      call(engine, 'session.heartbeat', {
        sessionId: socket.id,
        heartbeat: { intervalMs: 100, payload: ping },
      }),
    ).rejects.toMatchObject({
      code: 'ERR_SOCKET_NO_DESTINATION',
      message: expect.stringMatching(/^heartbeat\.to: no destination for the heartbeat/),
      details: expect.objectContaining({ field: 'heartbeat.to' }),
    });
    await expect(
      call(engine, 'session.heartbeat', {
        sessionId: socket.id,
        heartbeat: {
          intervalMs: 100,
          payload: ping,
          onDead: 'reconnect',
          to: { host: '127.0.0.1', port: 9 },
        },
      }),
    ).rejects.toMatchObject({
      code: 'ERR_SESSION_UNSUPPORTED',
      message: expect.stringMatching(/^heartbeat\.onDead: a UDP socket has no connection/),
    });
    // A bad heartbeat refuses the bind: no socket is left behind.
    const before = (await call(engine, 'session.list', {})).length;
    await expect(
      call(engine, 'udp.bind', {
        localAddress: '127.0.0.1',
        heartbeat: { intervalMs: 100, payload: ping },
      }),
    ).rejects.toThrow(/heartbeat\.to: no destination/);
    expect((await call(engine, 'session.list', {})).length).toBe(before);
    await expect(
      call(engine, 'udp.bind', {
        localAddress: '127.0.0.1',
        heartbeat: { intervalMs: 5, payload: ping, to: { host: '127.0.0.1', port: 9 } },
      }),
    ).rejects.toThrow(/heartbeat\.intervalMs: must be at least 10 ms/);
    // The destination is for UDP alone.
    await expect(
      call(engine, 'tcp.connect', {
        host: '127.0.0.1',
        port: 9,
        heartbeat: { intervalMs: 100, payload: ping, to: { host: '127.0.0.1', port: 9 } },
      }),
    ).rejects.toThrow(/^heartbeat\.to: a heartbeat destination is for UDP sockets/);
    expect((await call(engine, 'session.list', {})).length).toBe(before);
  });
});
