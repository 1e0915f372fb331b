import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SessionInfo } from '@shared/contract';
import { Engine } from '../../../../src/main/engine';
import { call, collectBatches, eventually, tcpClientInfo } from '../../../support/engine-calls';
import {
  freePort,
  hasCommand,
  startChild,
  startUnansweredPort,
  startPeer,
} from '../../../support/peers';
import type { TestPeer } from '../../../support/peers';

const text = (value: string) => ({ format: 'text' as const, text: value });

describe('TCP client sessions against real peers on loopback', () => {
  let engine: Engine;
  let echo: TestPeer;
  const cleanups: (() => unknown)[] = [];

  beforeAll(async () => {
    engine = await Engine.start({ transport: 'web', version: 'test' });
    echo = await startPeer();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });
  afterAll(async () => {
    await engine.close();
    await echo.close();
  });

  const records = (sessionId: string) => [...engine.log.iterate(sessionId)];

  it('connects, sends hello\\r\\n, logs both ways, and reports the addresses the peer sees', async () => {
    const session = await call(engine, 'tcp.connect', { host: '127.0.0.1', port: echo.port });
    expect(session.state).toBe('connected');
    expect(
      await call(engine, 'session.send', {
        sessionId: session.id,
        payload: text('hello\\r\\n'),
      }),
    ).toEqual({ bytes: 7 });
    await eventually(() =>
      expect(records(session.id).some((r) => r.direction === 'in')).toBe(true),
    );

    const peerSide = echo.connections.at(-1)!;
    const info = await tcpClientInfo(engine, session.id);
    expect(info.local).toEqual({
      address: peerSide.remoteAddress,
      port: peerSide.remotePort,
      family: 'IPv4',
    });
    expect(info.remote).toEqual({ address: '127.0.0.1', port: echo.port, family: 'IPv4' });
    expect(info).toMatchObject({ type: 'stream', protocol: 'tcp', family: 'IPv4', noDelay: true });
    expect(info.fd).toBeGreaterThan(2);
    expect(info.sinceUs).toBeGreaterThan(0);

    const log = records(session.id);
    expect(log.map((r) => r.event ?? r.direction)).toEqual([
      'connecting',
      'connected',
      'out',
      'in',
    ]);
    const out = log[2]!;
    const back = log[3]!;
    expect(Buffer.from(out.bytes).toString('hex')).toBe('68656c6c6f0d0a');
    expect(Buffer.from(back.bytes)).toEqual(Buffer.from('hello\r\n'));
    expect(back.local).toEqual(info.local);
    expect(back.remote).toEqual(info.remote);
    expect(back.atUs).toBeGreaterThanOrEqual(out.atUs);

    await eventually(async () => {
      const stats = (await call(engine, 'session.info', { sessionId: session.id })).stats;
      expect(stats).toMatchObject({ bytesIn: 7, bytesOut: 7, packetsIn: 1, packetsOut: 1 });
    }, 3000);
    await call(engine, 'session.close', { sessionId: session.id });
  });

  it('round-trips every byte value exactly, sent as hex', async () => {
    const session = await call(engine, 'tcp.connect', { host: '127.0.0.1', port: echo.port });
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    await call(engine, 'session.send', {
      sessionId: session.id,
      payload: { format: 'hex', text: all.toString('hex').replace(/(..)/g, '$1 ') },
    });
    const received = await eventually(() => {
      const bytes = Buffer.concat(
        records(session.id)
          .filter((r) => r.direction === 'in')
          .map((r) => r.bytes),
      );
      expect(bytes.length).toBe(256);
      return bytes;
    });
    expect(received.equals(all)).toBe(true);
    await call(engine, 'session.close', { sessionId: session.id });
  });

  it('sends GBK text as GBK bytes and reads them back byte-exact', async () => {
    const peer = await startPeer({ onConnection: () => {} });
    cleanups.push(() => peer.close());
    const session = await call(engine, 'tcp.connect', { host: '127.0.0.1', port: peer.port });
    await call(engine, 'session.send', {
      sessionId: session.id,
      payload: { format: 'text', text: '你好，世界\\r\\n', charset: 'gbk' },
    });
    await eventually(() =>
      expect(Buffer.concat(peer.received[0]!).toString('hex')).toBe('c4e3bac3a3accac0bde70d0a'),
    );
    const out = records(session.id).find((r) => r.direction === 'out')!;
    const read = await call(engine, 'log.read', { id: out.id });
    expect(Buffer.from(read.bytes, 'base64').toString('hex')).toBe('c4e3bac3a3accac0bde70d0a');
  });

  it('refuses a payload it cannot encode, naming the field and position', async () => {
    const session = await call(engine, 'tcp.connect', { host: '127.0.0.1', port: echo.port });
    await expect(
      call(engine, 'session.send', {
        sessionId: session.id,
        payload: { format: 'hex', text: '68 65 6' },
      }),
    ).rejects.toMatchObject({
      code: 'ERR_INVALID_ARGS',
      message: expect.stringContaining('payload.text'),
    });
    await expect(
      call(engine, 'session.send', {
        sessionId: session.id,
        payload: { format: 'hex', text: '6g' },
      }),
    ).rejects.toThrow(/position 2/);
    // Nothing was sent and the session is still fine.
    expect(records(session.id).filter((r) => r.direction === 'out')).toHaveLength(0);
    expect((await call(engine, 'session.info', { sessionId: session.id })).state).toBe('connected');
    await call(engine, 'session.close', { sessionId: session.id });
  });

  it('says "refused" with ECONNREFUSED when nothing listens', async () => {
    const port = await freePort();
    const session = await call(engine, 'tcp.connect', { host: '127.0.0.1', port });
    expect(session.state).toBe('failed');
    expect(session.lastError).toMatchObject({
      code: 'ERR_SOCKET_REFUSED',
      details: { osCode: 'ECONNREFUSED' },
    });
    expect(session.lastError!.message).toMatch(/refused.*\(ECONNREFUSED\)/);
    const events = records(session.id).map((r) => r.event);
    expect(events).toEqual(['connecting', 'error', 'closed']);
  });

  it('times out with its own connect timeout against a listener whose backlog is full', async (context) => {
    const listener = await startUnansweredPort();
    if (listener === null) {
      console.log('skipped: python3 is absent, so no full-backlog listener can be made');
      context.skip();
      return;
    }
    cleanups.push(() => listener.close());
    const started = Date.now();
    const session = await call(engine, 'tcp.connect', {
      host: '127.0.0.1',
      port: listener.port,
      connectTimeoutMs: 400,
    });
    const took = Date.now() - started;
    expect(session.state).toBe('failed');
    expect(session.lastError).toMatchObject({ code: 'ERR_SOCKET_TIMEOUT' });
    expect(session.lastError!.message).toContain('timed out after 400 ms');
    expect(took).toBeGreaterThanOrEqual(380);
    expect(took).toBeLessThan(5000);
  });

  it('says "name not found" for a name that does not resolve', async () => {
    const session = await call(engine, 'tcp.connect', { host: 'no-such-host.invalid', port: 80 });
    expect(session.lastError).toMatchObject({
      code: 'ERR_SOCKET_NAME_NOT_FOUND',
      details: { osCode: 'ENOTFOUND' },
    });
    expect(session.lastError!.message).toContain('no-such-host.invalid:80 does not resolve');
  });

  it('says the local address is in use, or not available', async () => {
    const holder = await startPeer();
    cleanups.push(() => holder.close());
    const inUse = await call(engine, 'tcp.connect', {
      host: '127.0.0.1',
      port: echo.port,
      localAddress: '127.0.0.1',
      localPort: holder.port,
    });
    expect(inUse.lastError).toMatchObject({
      code: 'ERR_SOCKET_ADDRESS_IN_USE',
      details: { osCode: 'EADDRINUSE' },
    });
    // 192.0.2.1 (TEST-NET-1) is on no interface here: bind() fails before any packet leaves.
    const notHere = await call(engine, 'tcp.connect', {
      host: '127.0.0.1',
      port: echo.port,
      localAddress: '192.0.2.1',
    });
    expect(notHere.lastError).toMatchObject({
      code: 'ERR_SOCKET_ADDRESS_NOT_AVAILABLE',
      details: { osCode: 'EADDRNOTAVAIL' },
    });
  });

  it('binds the local port it is given', async () => {
    const localPort = await freePort();
    const session = await call(engine, 'tcp.connect', {
      host: '127.0.0.1',
      port: echo.port,
      localAddress: '127.0.0.1',
      localPort,
    });
    expect(session.local).toEqual({ address: '127.0.0.1', port: localPort, family: 'IPv4' });
    await eventually(() => expect(echo.connections.at(-1)!.remotePort).toBe(localPort));
    await call(engine, 'session.close', { sessionId: session.id });
  });

  it('reports a reset by the peer mid-stream', async () => {
    const peer = await startPeer({
      onConnection: (socket) => socket.once('data', () => socket.resetAndDestroy()),
    });
    cleanups.push(() => peer.close());
    const session = await call(engine, 'tcp.connect', { host: '127.0.0.1', port: peer.port });
    await call(engine, 'session.send', { sessionId: session.id, payload: text('boom') });
    const info = await eventually(async () => {
      const current = await call(engine, 'session.info', { sessionId: session.id });
      expect(current.state).toBe('closed');
      return current;
    });
    expect(info.lastError).toMatchObject({
      code: 'ERR_SOCKET_RESET',
      details: { osCode: 'ECONNRESET' },
    });
    expect(records(session.id).at(-1)).toMatchObject({
      event: 'closed',
      message: 'Closed after an error',
    });
  });

  it('notices the peer closing, and closes too', async () => {
    const peer = await startPeer({ onConnection: (socket) => socket.end('bye\n') });
    cleanups.push(() => peer.close());
    const session = await call(engine, 'tcp.connect', { host: '127.0.0.1', port: peer.port });
    await eventually(async () =>
      expect((await call(engine, 'session.info', { sessionId: session.id })).state).toBe('closed'),
    );
    const log = records(session.id);
    expect(log.map((r) => r.event ?? r.direction)).toEqual([
      'connecting',
      'connected',
      'in',
      'half-closed',
      'closed',
    ]);
    expect(log.at(-1)!.message).toBe('Closed by the peer');
  });

  it('half-closes: the peer sees our FIN and can still answer', async () => {
    const peer = await startPeer({
      onConnection: (socket) => {
        const chunks: Buffer[] = [];
        socket.on('data', (chunk) => chunks.push(chunk));
        socket.on('end', () => socket.end(`got ${Buffer.concat(chunks).length} bytes`));
      },
    });
    cleanups.push(() => peer.close());
    const session = await call(engine, 'tcp.connect', { host: '127.0.0.1', port: peer.port });
    await call(engine, 'session.send', { sessionId: session.id, payload: text('12345') });
    const halfClosed = await call(engine, 'session.shutdown', { sessionId: session.id });
    expect(halfClosed).toMatchObject({ state: 'half-closed', writeShutdown: true });
    await expect(
      call(engine, 'session.send', { sessionId: session.id, payload: text('late') }),
    ).rejects.toMatchObject({ code: 'ERR_SESSION_NOT_CONNECTED' });
    await eventually(async () =>
      expect((await call(engine, 'session.info', { sessionId: session.id })).state).toBe('closed'),
    );
    const answer = records(session.id).find((r) => r.direction === 'in')!;
    expect(Buffer.from(answer.bytes).toString()).toBe('got 5 bytes');
  });

  it('marks an idle session, or closes it, as the user chose', async () => {
    const marked = await call(engine, 'tcp.connect', {
      host: '127.0.0.1',
      port: echo.port,
      idleTimeoutMs: 150,
      idleAction: 'mark',
    });
    await eventually(async () =>
      expect(await call(engine, 'session.info', { sessionId: marked.id })).toMatchObject({
        idle: true,
        state: 'connected',
      }),
    );
    const closing = await call(engine, 'tcp.connect', {
      host: '127.0.0.1',
      port: echo.port,
      idleTimeoutMs: 150,
      idleAction: 'close',
    });
    await eventually(async () =>
      expect((await call(engine, 'session.info', { sessionId: closing.id })).state).toBe('closed'),
    );
    expect(records(closing.id).some((r) => r.event === 'idle')).toBe(true);
    await call(engine, 'session.close', { sessionId: marked.id });
  });

  it('repeats a payload M times every N ms, then stops by itself', async () => {
    const peer = await startPeer({ onConnection: () => {} });
    cleanups.push(() => peer.close());
    const session = await call(engine, 'tcp.connect', { host: '127.0.0.1', port: peer.port });
    const started = await call(engine, 'session.repeat', {
      sessionId: session.id,
      payload: text('ping\\n'),
      intervalMs: 10,
      count: 5,
    });
    expect(started.repeat).toMatchObject({ total: 5, intervalMs: 10 });
    await eventually(() =>
      expect(Buffer.concat(peer.received[0] ?? []).toString()).toBe('ping\n'.repeat(5)),
    );
    await eventually(async () =>
      expect((await call(engine, 'session.info', { sessionId: session.id })).repeat).toBeNull(),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(Buffer.concat(peer.received[0]!).length).toBe(25);

    await call(engine, 'session.repeat', {
      sessionId: session.id,
      payload: text('x'),
      intervalMs: 5,
    });
    await new Promise((resolve) => setTimeout(resolve, 60));
    const stopped = await call(engine, 'session.stopRepeat', { sessionId: session.id });
    expect(stopped.repeat).toBeNull();
    await call(engine, 'session.close', { sessionId: session.id });
  });

  it('reconnects the same session after the link went down', async () => {
    const session = await call(engine, 'tcp.connect', { host: '127.0.0.1', port: echo.port });
    await call(engine, 'session.close', { sessionId: session.id });
    expect((await call(engine, 'session.info', { sessionId: session.id })).state).toBe('closed');
    const again = await call(engine, 'session.reconnect', { sessionId: session.id });
    expect(again).toMatchObject({ id: session.id, state: 'connected', lastError: null });
    await call(engine, 'session.close', { sessionId: session.id });
    expect(await call(engine, 'session.remove', { sessionId: session.id })).toEqual({
      removed: true,
    });
    await expect(call(engine, 'session.info', { sessionId: session.id })).rejects.toMatchObject({
      code: 'ERR_SESSION_NOT_FOUND',
    });
  });

  it('connects over IPv6 to [::1]', async (context) => {
    let peer: TestPeer;
    try {
      peer = await startPeer({ host: '::1' });
    } catch (error) {
      console.log(`skipped: cannot listen on ::1 here (${String(error)})`);
      context.skip();
      return;
    }
    cleanups.push(() => peer.close());
    const session = await call(engine, 'tcp.connect', { host: '::1', port: peer.port });
    expect(session).toMatchObject({ state: 'connected', family: 'IPv6' });
    expect(session.remote).toEqual({ address: '::1', port: peer.port, family: 'IPv6' });
    await call(engine, 'session.close', { sessionId: session.id });
  });

  it('talks to socat as a second, independent peer', async (context) => {
    if (!hasCommand('socat')) {
      console.log('skipped: socat is not installed');
      context.skip();
      return;
    }
    const port = await freePort();
    const socat = startChild('socat', [`TCP-LISTEN:${port},bind=127.0.0.1,reuseaddr`, 'EXEC:cat']);
    cleanups.push(() => socat.kill());
    let session: SessionInfo | null = null;
    await eventually(async () => {
      session = await call(engine, 'tcp.connect', { host: '127.0.0.1', port });
      expect(session.state).toBe('connected');
    }, 5000);
    const id = session!.id;
    await call(engine, 'session.send', {
      sessionId: id,
      payload: { format: 'hex', text: '00 ff 0d 0a' },
    });
    await eventually(() =>
      expect(
        Buffer.concat(
          records(id)
            .filter((r) => r.direction === 'in')
            .map((r) => r.bytes),
        ).toString('hex'),
      ).toBe('00ff0d0a'),
    );
    await call(engine, 'session.close', { sessionId: id });
  });
  it('sends hex and base64 as exact bytes even with a line ending set', async () => {
    const peer = await startPeer({ onConnection: () => {} });
    cleanups.push(() => peer.close());
    const session = await call(engine, 'tcp.connect', { host: '127.0.0.1', port: peer.port });
    const modbus = '01 03 00 00 00 0A C5 CD';
    const sent = await call(engine, 'session.send', {
      sessionId: session.id,
      payload: { format: 'hex', text: modbus, lineEnding: 'crlf' },
    });
    expect(sent).toEqual({ bytes: 8 });
    await call(engine, 'session.send', {
      sessionId: session.id,
      payload: { format: 'text', text: 'ok', lineEnding: 'crlf' },
    });
    await eventually(() =>
      expect(Buffer.concat(peer.received[0] ?? []).toString('hex')).toBe(
        '01030000000ac5cd' + '6f6b0d0a',
      ),
    );
    await call(engine, 'session.close', { sessionId: session.id });
  });

  it('files each record with the charset its session last sent text in', async () => {
    const session = await call(engine, 'tcp.connect', { host: '127.0.0.1', port: echo.port });
    await call(engine, 'session.send', {
      sessionId: session.id,
      payload: { format: 'text', text: '你好', charset: 'gbk' },
    });
    await eventually(() =>
      expect(records(session.id).some((r) => r.direction === 'in')).toBe(true),
    );
    const data = records(session.id).filter((r) => r.direction !== 'event');
    expect(data.map((r) => [r.direction, Buffer.from(r.bytes).toString('hex'), r.charset])).toEqual(
      [
        ['out', 'c4e3bac3', 'gbk'],
        ['in', 'c4e3bac3', 'gbk'],
      ],
    );
    const connecting = records(session.id)[0]!;
    expect(connecting).toMatchObject({ event: 'connecting', charset: null });
    await call(engine, 'session.close', { sessionId: session.id });
  });

  it('gives every event record the params the renderer words it from', async () => {
    const session = await call(engine, 'tcp.connect', { host: '127.0.0.1', port: echo.port });
    await call(engine, 'session.close', { sessionId: session.id });
    const events = records(session.id).filter((r) => r.direction === 'event');
    expect(events.map((r) => [r.event, r.params])).toEqual([
      ['connecting', { where: `127.0.0.1:${echo.port}` }],
      [
        'connected',
        { remote: `127.0.0.1:${echo.port}`, local: expect.stringMatching(/^127\.0\.0\.1:\d+$/) },
      ],
      ['closed', { by: 'us' }],
    ]);
    const refused = await call(engine, 'tcp.connect', {
      host: '127.0.0.1',
      port: await freePort(),
    });
    const error = records(refused.id).find((r) => r.event === 'error')!;
    expect(error.params).toMatchObject({
      code: 'ERR_SOCKET_REFUSED',
      osCode: 'ECONNREFUSED',
      where: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
    });
  });

  it('shows a closed session with no descriptor, a fixed end time and zero rates', async () => {
    const chatter = await startPeer({
      onConnection: (socket) => {
        const timer = setInterval(() => socket.write(Buffer.alloc(4096, 0x61)), 20);
        socket.on('close', () => clearInterval(timer));
      },
    });
    cleanups.push(() => chatter.close());
    const session = await call(engine, 'tcp.connect', { host: '127.0.0.1', port: chatter.port });
    await eventually(async () => {
      const live = await call(engine, 'session.info', { sessionId: session.id });
      expect(live.stats.rateInBps).toBeGreaterThan(0);
    }, 5000);
    const open = await call(engine, 'session.info', { sessionId: session.id });
    expect(open.fd).toBeGreaterThan(2);
    expect(open.closedAtUs).toBeNull();
    const closed = await call(engine, 'session.close', { sessionId: session.id });
    expect(closed.state).toBe('closed');
    expect(closed.fd).toBeNull();
    expect(closed.closedAtUs).toBeGreaterThanOrEqual(closed.sinceUs!);
    expect(closed.stats.rateInBps).toBe(0);
    expect(closed.stats.rateOutBps).toBe(0);
    expect(closed.stats.bytesIn).toBeGreaterThan(0);
    // The ticker keeps running for other sessions: it must not bring a rate back.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const later = await call(engine, 'session.info', { sessionId: session.id });
    expect(later.stats.rateInBps).toBe(0);
    expect(later.closedAtUs).toBe(closed.closedAtUs);
  });
});

describe('the event path and the byte budget', () => {
  it('coalesces many packets into few batches with capped previews', async () => {
    const engine = await Engine.start({ transport: 'web', version: 'test' });
    const peer = await startPeer({
      onConnection: (socket) => {
        // 400 writes of 1 KiB as fast as the socket takes them.
        for (let i = 0; i < 400; i++) socket.write(Buffer.alloc(1024, i % 256));
      },
    });
    const { batches, stop } = collectBatches(engine);
    const session = await call(engine, 'tcp.connect', { host: '127.0.0.1', port: peer.port });
    await eventually(() => expect(engine.log.stats().records).toBeGreaterThan(2));
    await eventually(async () =>
      expect((await call(engine, 'session.info', { sessionId: session.id })).stats.bytesIn).toBe(
        400 * 1024,
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 120));
    stop();
    const previews = batches.flatMap((batch) =>
      batch.events.flatMap((event) => (event.type === 'log.records' ? event.records : [])),
    );
    const received = previews.filter((record) => record.direction === 'in');
    expect(received.reduce((sum, record) => sum + record.size, 0)).toBe(400 * 1024);
    for (const record of received) {
      expect(Buffer.from(record.preview, 'base64').length).toBe(Math.min(record.size, 256));
      expect(record.truncated).toBe(record.size > 256);
    }
    // Far fewer messages than packets, and in order.
    expect(batches.length).toBeLessThan(previews.length);
    expect(batches.map((batch) => batch.seq)).toEqual(
      batches.map((_, index) => batches[0]!.seq + index),
    );
    await engine.close();
    await peer.close();
  });

  it('evicts the oldest records past the byte budget, says so, and keeps the newest', async () => {
    const engine = await Engine.start({
      transport: 'web',
      version: 'test',
      logBudgetBytes: 1024 * 1024,
    });
    const peer = await startPeer({
      onConnection: (socket) => {
        for (let i = 0; i < 48; i++) socket.write(Buffer.alloc(64 * 1024, i));
      },
    });
    const { batches, stop } = collectBatches(engine);
    const session = await call(engine, 'tcp.connect', { host: '127.0.0.1', port: peer.port });
    await eventually(async () =>
      expect((await call(engine, 'session.info', { sessionId: session.id })).stats.bytesIn).toBe(
        48 * 64 * 1024,
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    stop();
    const stats = await call(engine, 'log.stats', {});
    expect(stats.bytes).toBeLessThanOrEqual(1024 * 1024);
    expect(stats.evictedRecords).toBeGreaterThan(0);
    expect(stats.evictedBytes).toBeGreaterThan(2 * 1024 * 1024);
    const said = batches
      .flatMap((batch) => batch.events)
      .filter((event) => event.type === 'log.stats');
    expect(said.length).toBeGreaterThan(0);
    await expect(call(engine, 'log.read', { id: 1 })).rejects.toThrow(/evicted/);
    // What is still held is exactly the newest part of the stream, byte for byte.
    const sent = Buffer.concat(Array.from({ length: 48 }, (_, i) => Buffer.alloc(64 * 1024, i)));
    const held = Buffer.concat(
      [...engine.log.iterate(session.id)]
        .filter((record) => record.direction === 'in')
        .map((record) => record.bytes),
    );
    expect(held.length).toBeGreaterThan(0);
    expect(held.equals(sent.subarray(sent.length - held.length))).toBe(true);
    await engine.close();
    await peer.close();
  });

  it('closes every socket it opened on shutdown', async () => {
    const engine = await Engine.start({ transport: 'web', version: 'test' });
    const peer = await startPeer();
    for (let i = 0; i < 3; i++)
      await call(engine, 'tcp.connect', { host: '127.0.0.1', port: peer.port });
    await eventually(() => expect(peer.connections).toHaveLength(3));
    await engine.close();
    await eventually(() =>
      expect(peer.connections.every((socket) => socket.destroyed || socket.readableEnded)).toBe(
        true,
      ),
    );
    await peer.close();
  });
});
