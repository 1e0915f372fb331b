import { performance } from 'node:perf_hooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TcpPeerInfo, TcpServerInfo } from '@shared/contract';
import { ErrorCode } from '@shared/errors';
import { Engine } from '../../../../src/main/engine';
import { call, eventually, tcpPeerInfo, tcpServerInfo } from '../../../support/engine-calls';
import { connectClient } from '../../../support/clients';
import type { TestClient } from '../../../support/clients';

const text = (value: string) => ({ format: 'text' as const, text: value });
const ping = text('ping');
const expectPong = { kind: 'exact' as const, value: 'pong' };

describe('heartbeats and reply rules on a TCP server, against real clients on loopback', () => {
  let engine: Engine;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    engine = await Engine.start({ transport: 'web', version: 'test' });
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.socket.destroy();
    for (const session of await call(engine, 'session.list', {}))
      if (session.kind === 'tcp-server')
        await call(engine, 'session.remove', { sessionId: session.id });
  });
  afterAll(async () => {
    await engine.close();
  });

  async function listen(args: Partial<Parameters<typeof call<'tcp.listen'>>[2]> = {}) {
    const server = await call(engine, 'tcp.listen', { host: '127.0.0.1', port: 0, ...args });
    return { server, port: server.local!.port };
  }
  async function client(port: number): Promise<TestClient> {
    const connected = await connectClient(port);
    clients.push(connected);
    return connected;
  }
  const serverInfo = (sessionId: string) => tcpServerInfo(engine, sessionId);
  const peerInfo = (sessionId: string) => tcpPeerInfo(engine, sessionId);
  /** The peer session of the test client whose own port is `port` (open or closed). */
  async function peerOf(server: TcpServerInfo, port: number): Promise<TcpPeerInfo> {
    return eventually(async () => {
      for (const session of await call(engine, 'session.list', {}))
        if (
          session.kind === 'tcp-peer' &&
          session.serverId === server.id &&
          session.remote.port === port
        )
          return session;
      throw new Error(`no peer from port ${port}`);
    });
  }
  /** A client that answers each "ping" with "pong" after `delayMs`, while `answering` says so. */
  function answerPings(one: TestClient, delayMs: number): { answering: boolean } {
    const control = { answering: true };
    one.socket.on('data', (chunk: Buffer) => {
      const pings = chunk.toString().split('ping').length - 1;
      for (let index = 0; index < pings; index++)
        setTimeout(() => {
          if (control.answering && !one.socket.destroyed) one.socket.write('pong');
        }, delayMs);
    });
    return control;
  }

  it('answers "ping" with "pong" to each client on its own connection, hits counted on the server', async () => {
    const { server, port } = await listen();
    await call(engine, 'session.rules', {
      sessionId: server.id,
      rules: [{ name: 'pong', match: { kind: 'exact', value: 'ping' }, reply: text('pong') }],
    });
    const first = await client(port);
    const second = await client(port);
    first.socket.write('ping');
    await eventually(() => expect(first.received().toString()).toBe('pong'));
    second.socket.write('ping');
    await eventually(() => expect(second.received().toString()).toBe('pong'));
    first.socket.write('ping');
    await eventually(() => expect(first.received().toString()).toBe('pongpong'));
    // Neither got the other's answers.
    expect(second.received().toString()).toBe('pong');
    second.socket.write('nothing to match');
    first.socket.write('ping');
    await eventually(() => expect(first.received().toString()).toBe('pongpongpong'));
    expect(second.received().toString()).toBe('pong');

    const info = await serverInfo(server.id);
    expect(info.rules?.rules[0]).toMatchObject({ name: 'pong', hits: 4, stoppedByLimit: false });
    // The replies are filed under each client's session, tagged with the rule.
    const firstPeer = await peerOf(server, first.localPort);
    const sent = [...engine.log.iterate(firstPeer.id)].filter((r) => r.direction === 'out');
    expect(sent.map((r) => r.message)).toEqual(['rule "pong"', 'rule "pong"', 'rule "pong"']);
  });

  it('fills regex captures from the request of the client that sent it', async () => {
    const { server, port } = await listen();
    await call(engine, 'session.rules', {
      sessionId: server.id,
      rules: [
        {
          name: 'get',
          match: { kind: 'regex', value: '^GET (\\w+) (?<id>\\d+)' },
          reply: text('OK $1 #$<id>\\r\\n'),
        },
      ],
    });
    const first = await client(port);
    const second = await client(port);
    first.socket.write('GET temp 42\r\n');
    second.socket.write('GET hum 7\r\n');
    await eventually(() => expect(first.received().toString()).toBe('OK temp #42\r\n'));
    await eventually(() => expect(second.received().toString()).toBe('OK hum #7\r\n'));
  });

  it('rules given to a server also answer clients accepted before them, and a loop is stopped by the rate limit', async () => {
    const { server, port } = await listen();
    const early = await client(port);
    await eventually(async () => expect((await serverInfo(server.id)).clientsNow).toBe(1));
    await call(engine, 'session.rules', {
      sessionId: server.id,
      rules: [
        {
          name: 'loop',
          match: { kind: 'contains', value: 'x' },
          reply: text('x'),
          maxPerSecond: 5,
        },
      ],
    });
    // The client echoes what it gets: rule and client answer each other until the limit stops it.
    early.socket.on('data', (chunk: Buffer) => early.socket.write(chunk));
    early.socket.write('x');
    await eventually(
      async () => expect((await serverInfo(server.id)).rules?.rules[0]?.stoppedByLimit).toBe(true),
      5000,
    );
    const rule = (await serverInfo(server.id)).rules!.rules[0]!;
    expect(rule.hits).toBeLessThanOrEqual(5);
    expect(rule.enabled).toBe(false);
    const notes = [...engine.log.iterate(server.id)].filter((r) => r.direction === 'event');
    expect(notes.some((r) => /Rule "loop" stopped/.test(r.message ?? ''))).toBe(true);
  });

  it('beats on each client: one that answers has its RTT, one that stops is found dead, then closed', async () => {
    const intervalMs = 100;
    const missed = 3;
    const delayMs = 30;
    const { server, port } = await listen({
      heartbeat: {
        intervalMs,
        payload: ping,
        expect: expectPong,
        missedBeforeDead: missed,
        onDead: 'close',
      },
    });
    const alive = await client(port);
    const quitter = await client(port);
    answerPings(alive, delayMs);
    const quitterControl = answerPings(quitter, 0);
    const alivePeer = await peerOf(server, alive.localPort);
    const quitterPeer = await peerOf(server, quitter.localPort);

    await eventually(async () => {
      expect((await peerInfo(quitterPeer.id)).heartbeat?.replies).toBeGreaterThanOrEqual(2);
      expect((await peerInfo(alivePeer.id)).heartbeat?.replies).toBeGreaterThanOrEqual(2);
    }, 10_000);
    quitterControl.answering = false;
    const stoppedAt = performance.now();
    await eventually(
      async () => expect((await peerInfo(quitterPeer.id)).state).toBe('closed'),
      5000,
    );
    const deadAfter = performance.now() - stoppedAt;
    expect(deadAfter).toBeGreaterThanOrEqual((missed - 1) * intervalMs);
    // Generous above: a loaded machine delays timers, but not by seconds.
    expect(deadAfter).toBeLessThanOrEqual((missed + 1) * intervalMs + 600);
    const closed = await peerInfo(quitterPeer.id);
    expect(closed.endedBy).toBe('dead');
    expect(await quitter.ended).toMatch(/fin|close|ECONNRESET/);
    const deadEvents = [...engine.log.iterate(quitterPeer.id)].filter((r) => r.event === 'dead');
    expect(deadEvents).toHaveLength(1);
    expect(deadEvents[0]!.message).toMatch(
      /No reply to 3 heartbeats in a row: the peer is dead; closing the connection/,
    );

    // The other stays alive, its round trip at least its known delay.
    await eventually(async () => {
      expect((await peerInfo(alivePeer.id)).heartbeat?.replies).toBeGreaterThanOrEqual(5);
    }, 10_000);
    const stillAlive = await peerInfo(alivePeer.id);
    expect(stillAlive.state).toBe('connected');
    expect(stillAlive.heartbeat!.dead).toBe(false);
    expect(stillAlive.heartbeat!.rtt!.minMs).toBeGreaterThanOrEqual(delayMs - 1);
    expect(stillAlive.heartbeat!.rtt!.avgMs).toBeLessThan(delayMs + 400);
    const summary = (await serverInfo(server.id)).heartbeat!;
    expect(summary).toMatchObject({ intervalMs, onDead: 'close', clients: 1, dead: 0 });
    expect(summary.deadTotal).toBe(1);
  });

  it('marks a silent client dead (state and log) and alive again, and gives clients accepted later a heartbeat', async () => {
    const { server, port } = await listen();
    const silent = await client(port);
    const silentPeer = await peerOf(server, silent.localPort);
    await call(engine, 'session.heartbeat', {
      sessionId: server.id,
      heartbeat: { intervalMs: 50, payload: ping, missedBeforeDead: 2, onDead: 'mark' },
    });
    await eventually(async () => expect((await peerInfo(silentPeer.id)).state).toBe('dead'), 5000);
    expect((await serverInfo(server.id)).heartbeat).toMatchObject({ clients: 1, dead: 1 });
    expect(
      [...engine.log.iterate(silentPeer.id)].some(
        (r) => r.event === 'dead' && /the connection stays open/.test(r.message ?? ''),
      ),
    ).toBe(true);
    // With no expected reply, any data is a sign of life.
    silent.socket.write('here');
    await eventually(
      async () => expect((await peerInfo(silentPeer.id)).state).toBe('connected'),
      5000,
    );

    const later = await client(port);
    const laterPeer = await peerOf(server, later.localPort);
    await eventually(async () =>
      expect((await peerInfo(laterPeer.id)).heartbeat?.sent).toBeGreaterThan(0),
    );
    await eventually(() => expect(later.received().toString()).toContain('ping'));

    // Off: no client beats any more.
    await call(engine, 'session.heartbeat', { sessionId: server.id, heartbeat: null });
    expect((await serverInfo(server.id)).heartbeat).toBeNull();
    expect((await peerInfo(laterPeer.id)).heartbeat).toBeNull();
  });

  it('refuses reconnect for a server naming the field, and a bad heartbeat refuses the listen', async () => {
    const { server, port } = await listen();
    const one = await client(port);
    const onePeer = await peerOf(server, one.localPort);
    await expect(
      call(engine, 'session.heartbeat', {
        sessionId: server.id,
        heartbeat: { intervalMs: 100, payload: ping, onDead: 'reconnect' },
      }),
    ).rejects.toMatchObject({ code: ErrorCode.invalidArgs, message: /heartbeat\.onDead/ });
    expect((await serverInfo(server.id)).heartbeat).toBeNull();

    const before = (await call(engine, 'session.list', {})).length;
    await expect(
      call(engine, 'tcp.listen', {
        host: '127.0.0.1',
        port: 0,
        heartbeat: { intervalMs: 100, payload: ping, onDead: 'reconnect' },
      }),
    ).rejects.toMatchObject({ message: /heartbeat\.onDead/ });
    await expect(
      call(engine, 'tcp.listen', {
        host: '127.0.0.1',
        port: 0,
        heartbeat: { intervalMs: 5, payload: ping },
      }),
    ).rejects.toMatchObject({ code: ErrorCode.invalidArgs, message: /heartbeat\.intervalMs/ });
    expect((await call(engine, 'session.list', {})).length).toBe(before);
    // A client's session is refused a heartbeat of its own: it takes the server's.
    await expect(
      call(engine, 'session.heartbeat', {
        sessionId: onePeer.id,
        heartbeat: { intervalMs: 100, payload: ping },
      }),
    ).rejects.toMatchObject({ code: ErrorCode.sessionUnsupported });
  });
});
