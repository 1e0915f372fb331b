import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import type { RemoteInfo, Socket } from 'node:dgram';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { UdpInfo } from '@shared/contract';
import iconv from 'iconv-lite';
import { Engine } from '../../../../src/main/engine';
import { udpTransition } from '../../../../src/main/engine/sockets/udp-session';
import { call, eventually, udpInfo } from '../../../support/engine-calls';
import { hasCommand, startChild } from '../../../support/peers';

const text = (value: string) => ({ format: 'text' as const, text: value });
const base64 = (bytes: Uint8Array) => ({
  format: 'base64' as const,
  text: Buffer.from(bytes).toString('base64'),
});

interface DgramPeer {
  socket: Socket;
  port: number;
  received: { message: Buffer; from: RemoteInfo }[];
  close(): Promise<void>;
}

/** A real Node dgram peer on loopback; echoes unless told not to. */
async function dgramPeer(
  options: { type?: 'udp4' | 'udp6'; host?: string; echo?: boolean } = {},
): Promise<DgramPeer> {
  const socket = createSocket(options.type ?? 'udp4');
  const received: DgramPeer['received'] = [];
  socket.on('message', (message, from) => {
    received.push({ message, from });
    if (options.echo !== false) socket.send(message, from.port, from.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, options.host ?? '127.0.0.1', resolve));
  return {
    socket,
    port: socket.address().port,
    received,
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}

describe('UDP socket states', () => {
  it('binding ends bound or failed; closing a bound socket is closed, an unbound one failed', () => {
    expect(udpTransition('closed', 'bind')).toBe('binding');
    expect(udpTransition('binding', 'bound')).toBe('bound');
    expect(udpTransition('binding', 'bind-failed')).toBe('failed');
    expect(udpTransition('bound', 'bind-failed')).toBe('bound');
    expect(udpTransition('bound', 'closed')).toBe('closed');
    expect(udpTransition('binding', 'closed')).toBe('failed');
  });

  it('a bound socket whose heartbeat peer stops answering is dead until it answers, and stays dead once closed', () => {
    expect(udpTransition('bound', 'peer-dead')).toBe('dead');
    expect(udpTransition('dead', 'peer-alive')).toBe('bound');
    expect(udpTransition('binding', 'peer-dead')).toBe('binding');
    expect(udpTransition('closed', 'peer-alive')).toBe('closed');
    expect(udpTransition('dead', 'closed')).toBe('dead');
  });
});

describe('UDP sockets against real peers on loopback', () => {
  let engine: Engine;
  const cleanups: (() => unknown)[] = [];

  beforeAll(async () => {
    engine = await Engine.start({ transport: 'web', version: 'test' });
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(async () => {
    await engine.close();
  });

  const records = (sessionId: string) => [...engine.log.iterate(sessionId)];
  const datagrams = (sessionId: string, direction: 'in' | 'out') =>
    records(sessionId).filter((record) => record.direction === direction);

  async function bind(args: Parameters<typeof call<'udp.bind'>>[2] = {}): Promise<UdpInfo> {
    const info = await call(engine, 'udp.bind', { localAddress: '127.0.0.1', ...args });
    cleanups.push(() => call(engine, 'session.remove', { sessionId: info.id }));
    return info;
  }

  it('binds port 0 on 127.0.0.1 and reports its facts: getsockname, no peer, dgram/udp, fd, granted buffers', async () => {
    const info = await bind({ recvBufferBytes: 65536, sendBufferBytes: 32768, ttl: 9 });
    expect(info).toMatchObject({
      kind: 'udp',
      transport: 'udp',
      state: 'bound',
      type: 'dgram',
      protocol: 'udp',
      family: 'IPv4',
      remote: null,
      memberships: [],
      peers: [],
    });
    expect(info.local?.address).toBe('127.0.0.1');
    expect(info.local?.port).toBeGreaterThan(0);
    expect(info.fd).toBeGreaterThan(2);
    // Linux doubles what was asked (for its own bookkeeping); other systems may not.
    expect(info.options.recvBufferRequested).toBe(65536);
    expect(info.options.recvBufferBytes).toBeGreaterThanOrEqual(65536);
    expect(info.options.sendBufferBytes).toBeGreaterThanOrEqual(32768);
    if (process.platform === 'linux') expect(info.options.recvBufferBytes).toBe(131072);
    expect(info.options.ttl).toBe(9);
    expect(info.sinceUs).toBeGreaterThan(0);
  });

  it('sendto a Node dgram peer and recvfrom its reply: each datagram one record with its peer', async () => {
    const peer = await dgramPeer();
    cleanups.push(() => peer.close());
    const info = await bind();
    const to = { host: '127.0.0.1', port: peer.port };
    await call(engine, 'session.send', { sessionId: info.id, payload: text('one'), to });
    await call(engine, 'session.send', { sessionId: info.id, payload: text('two'), to });
    await eventually(() => expect(datagrams(info.id, 'in')).toHaveLength(2));

    // The peer saw our bound port: replies come back to the socket that sent.
    expect(peer.received.map((entry) => entry.from.port)).toEqual([
      info.local!.port,
      info.local!.port,
    ]);
    const incoming = datagrams(info.id, 'in');
    expect(incoming.map((record) => Buffer.from(record.bytes).toString())).toEqual(['one', 'two']);
    for (const record of incoming) {
      expect(record.transport).toBe('udp');
      expect(record.remote).toEqual({ address: '127.0.0.1', port: peer.port, family: 'IPv4' });
      expect(record.local).toEqual(info.local);
    }
    expect(datagrams(info.id, 'out').map((record) => record.remote?.port)).toEqual([
      peer.port,
      peer.port,
    ]);

    await eventually(async () => {
      const now = await udpInfo(engine, info.id);
      expect(now.peers).toHaveLength(1);
      expect(now.peers[0]).toMatchObject({
        address: '127.0.0.1',
        port: peer.port,
        datagramsIn: 2,
        bytesIn: 6,
        datagramsOut: 2,
        bytesOut: 6,
      });
      expect(now.stats).toMatchObject({ packetsIn: 2, packetsOut: 2, bytesIn: 6, bytesOut: 6 });
    });
  });

  it('keeps datagram boundaries: 0 bytes, 65,507 bytes, all 256 byte values, GBK text', async () => {
    const peer = await dgramPeer();
    cleanups.push(() => peer.close());
    const info = await bind();
    const to = { host: '127.0.0.1', port: peer.port };
    const allBytes = Uint8Array.from({ length: 256 }, (_, index) => index);
    const biggest = Buffer.alloc(65_507, 0x5a);
    biggest.writeUInt32BE(0xdeadbeef, 65_503);
    await call(engine, 'session.send', {
      sessionId: info.id,
      payload: base64(new Uint8Array(0)),
      to,
    });
    await call(engine, 'session.send', { sessionId: info.id, payload: base64(biggest), to });
    await call(engine, 'session.send', { sessionId: info.id, payload: base64(allBytes), to });
    await call(engine, 'session.send', {
      sessionId: info.id,
      payload: { format: 'text', text: '你好，世界', charset: 'gbk' },
      to,
    });
    await eventually(() => expect(datagrams(info.id, 'in')).toHaveLength(4));
    const sizes = datagrams(info.id, 'in').map((record) => record.size);
    expect(sizes).toEqual([0, 65_507, 256, 10]);
    const [empty, big, values, gbk] = datagrams(info.id, 'in');
    expect(empty!.bytes.byteLength).toBe(0);
    expect(Buffer.from(big!.bytes).equals(biggest)).toBe(true);
    expect(Buffer.from(values!.bytes).equals(Buffer.from(allBytes))).toBe(true);
    expect(iconv.decode(Buffer.from(gbk!.bytes), 'gbk')).toBe('你好，世界');
    expect(peer.received.map((entry) => entry.message.length)).toEqual([0, 65_507, 256, 10]);
  });

  it('refuses 65,508 bytes over IPv4 in words, naming the limit and EMSGSIZE', async () => {
    const info = await bind();
    const error = await call(engine, 'session.send', {
      sessionId: info.id,
      payload: base64(new Uint8Array(65_508)),
      to: { host: '127.0.0.1', port: 9 },
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'ERR_SOCKET_MESSAGE_TOO_LONG' });
    expect((error as Error).message).toMatch(/65508 bytes.*65507.*EMSGSIZE/);
  });

  it('binds :: dual-stack and talks to IPv4 and IPv6 peers; IPv6-only refuses IPv4', async () => {
    const peer4 = await dgramPeer();
    const peer6 = await dgramPeer({ type: 'udp6', host: '::1' });
    cleanups.push(
      () => peer4.close(),
      () => peer6.close(),
    );
    const info = await bind({ localAddress: '::' });
    expect(info.family).toBe('IPv6');
    await call(engine, 'session.send', {
      sessionId: info.id,
      payload: text('v4'),
      to: { host: '127.0.0.1', port: peer4.port },
    });
    await call(engine, 'session.send', {
      sessionId: info.id,
      payload: text('v6'),
      to: { host: '::1', port: peer6.port },
    });
    await eventually(() => expect(datagrams(info.id, 'in')).toHaveLength(2));
    const senders = datagrams(info.id, 'in').map((record) => record.remote?.address);
    expect(senders).toContain('::1');
    expect(senders).toContain('::ffff:127.0.0.1');

    const only6 = await bind({ localAddress: '::', ipv6Only: true });
    expect(only6.options.ipv6Only).toBe(true);
    const error = await call(engine, 'session.send', {
      sessionId: only6.id,
      payload: text('v4'),
      to: { host: '127.0.0.1', port: peer4.port },
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'ERR_SOCKET_FAILED' });
    expect((error as Error).message).toContain('IPv6-only');
  });

  it('resolves a destination name (localhost) and logs the address it went to', async () => {
    const peer = await dgramPeer();
    cleanups.push(() => peer.close());
    const info = await bind();
    await call(engine, 'session.send', {
      sessionId: info.id,
      payload: text('named'),
      to: { host: 'localhost', port: peer.port },
    });
    await eventually(() => expect(peer.received).toHaveLength(1));
    expect(datagrams(info.id, 'out')[0]!.remote).toEqual({
      address: '127.0.0.1',
      port: peer.port,
      family: 'IPv4',
    });
  });

  it('says "name not found" for a name that does not resolve', async () => {
    const info = await bind();
    const error = await call(engine, 'session.send', {
      sessionId: info.id,
      payload: text('x'),
      to: { host: 'no-such-host.invalid', port: 9 },
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'ERR_SOCKET_NAME_NOT_FOUND' });
    expect((error as Error).message).toMatch(/Name not found.*ENOTFOUND/);
  });

  it('says "address in use" with EADDRINUSE, and shares the port when both reuse the address', async () => {
    const first = await bind();
    const error = await call(engine, 'udp.bind', {
      localAddress: '127.0.0.1',
      localPort: first.local!.port,
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: 'ERR_SOCKET_ADDRESS_IN_USE',
      details: { osCode: 'EADDRINUSE' },
    });
    expect((error as Error).message).toContain('Address in use');
    // A failed bind leaves no session behind.
    const list = await call(engine, 'session.list', {});
    expect(list.filter((session) => session.state === 'failed')).toEqual([]);

    const shared = await bind({ reuseAddress: true });
    const second = await bind({ reuseAddress: true, localPort: shared.local!.port });
    expect(second.local!.port).toBe(shared.local!.port);
    expect(second.options.reuseAddress).toBe(true);
  });

  it('says "address not available" for a local address no interface has', async () => {
    const error = await call(engine, 'udp.bind', { localAddress: '192.0.2.199' }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({
      code: 'ERR_SOCKET_ADDRESS_NOT_AVAILABLE',
      details: { osCode: 'EADDRNOTAVAIL' },
    });
  });

  it('refuses what only another kind can do, naming the kind', async () => {
    const info = await bind();
    await expect(call(engine, 'session.shutdown', { sessionId: info.id })).rejects.toMatchObject({
      code: 'ERR_SESSION_UNSUPPORTED',
      message: `Cannot half-close ${info.id}: only a TCP client can (it is a udp)`,
    });
    await expect(
      call(engine, 'session.send', { sessionId: info.id, payload: text('x'), peers: 'all' }),
    ).rejects.toThrow(/peers: a UDP socket sends to a destination address/);
  });

  it('without a destination or a default peer, says there is nowhere to send', async () => {
    const info = await bind();
    await expect(
      call(engine, 'session.send', { sessionId: info.id, payload: text('x') }),
    ).rejects.toMatchObject({ code: 'ERR_SOCKET_NO_DESTINATION' });
  });

  it('connect(): sends go to the default peer, getpeername says so; ICMP port unreachable reads "refused"', async () => {
    const peer = await dgramPeer();
    let peerOpen = true;
    cleanups.push(() => peerOpen && peer.close());
    const info = await bind({ connectTo: { host: '127.0.0.1', port: peer.port } });
    expect(info.remote).toEqual({ address: '127.0.0.1', port: peer.port, family: 'IPv4' });
    await call(engine, 'session.send', { sessionId: info.id, payload: text('hi') });
    await eventually(() => expect(datagrams(info.id, 'in')).toHaveLength(1));
    await expect(
      call(engine, 'session.send', {
        sessionId: info.id,
        payload: text('x'),
        to: { host: '127.0.0.1', port: peer.port + 1 },
      }),
    ).rejects.toThrow(/connected to 127\.0\.0\.1:\d+ and sends only there/);

    // The peer goes away: its host answers with ICMP port unreachable, which a
    // connected socket reports on a later call.
    await peer.close();
    peerOpen = false;
    await call(engine, 'session.send', { sessionId: info.id, payload: text('anyone?') });
    const refused = await eventually(async () => {
      const error = await call(engine, 'session.send', {
        sessionId: info.id,
        payload: text('still?'),
      }).catch((caught: unknown) => caught);
      const now = await udpInfo(engine, info.id);
      const seen = error instanceof Error ? error : now.lastError;
      expect(seen).toMatchObject({ code: 'ERR_SOCKET_REFUSED' });
      return seen as { message: string };
    });
    expect(refused.message).toMatch(/Refused.*ICMP port unreachable.*ECONNREFUSED/);

    const disconnected = await call(engine, 'udp.disconnect', { sessionId: info.id });
    expect(disconnected.remote).toBeNull();
  });

  it('sending to the broadcast address without the Broadcast option is refused in words, not dropped', async () => {
    const info = await bind();
    const error = await call(engine, 'session.send', {
      sessionId: info.id,
      payload: text('all?'),
      to: { host: '255.255.255.255', port: 9 },
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'ERR_SOCKET_PERMISSION_DENIED' });
    expect((error as Error).message).toMatch(/broadcast.*SO_BROADCAST.*EACCES/);
    // Loopback's directed broadcast goes to the kernel, which refuses it the same way.
    const directed = await call(engine, 'session.send', {
      sessionId: info.id,
      payload: text('lo?'),
      to: { host: '127.255.255.255', port: 9 },
    }).catch((caught: unknown) => caught);
    expect(directed).toMatchObject({
      code: 'ERR_SOCKET_PERMISSION_DENIED',
      details: { osCode: 'EACCES' },
    });
    expect((await udpInfo(engine, info.id)).lastError?.code).toBe('ERR_SOCKET_PERMISSION_DENIED');
    expect(records(info.id).some((record) => record.event === 'error')).toBe(true);
  });

  it('lists the interfaces with loopback, its directed broadcast and multicast interface names', async () => {
    const interfaces = await call(engine, 'udp.interfaces', {});
    const loopback = interfaces.find((entry) => entry.address === '127.0.0.1');
    expect(loopback).toMatchObject({
      family: 'IPv4',
      internal: true,
      broadcast: '127.255.255.255',
      multicastInterface: '127.0.0.1',
    });
  });

  it('repeats a datagram to a destination N times', async () => {
    const peer = await dgramPeer({ echo: false });
    cleanups.push(() => peer.close());
    const info = await bind();
    await call(engine, 'session.repeat', {
      sessionId: info.id,
      payload: text('tick'),
      to: { host: '127.0.0.1', port: peer.port },
      intervalMs: 5,
      count: 5,
    });
    await eventually(() => expect(peer.received).toHaveLength(5));
    await eventually(async () => expect((await udpInfo(engine, info.id)).repeat).toBeNull());
  });

  it('sends a file piece as datagrams of the chosen size, paced', async () => {
    const peer = await dgramPeer({ echo: false });
    cleanups.push(() => peer.close());
    const info = await bind();
    const file = Uint8Array.from({ length: 2500 }, (_, index) => index % 251);
    const started = performance.now();
    const result = await call(engine, 'udp.sendDatagrams', {
      sessionId: info.id,
      payload: base64(file),
      to: { host: '127.0.0.1', port: peer.port },
      datagramBytes: 1000,
      pacingMs: 20,
    });
    expect(result).toEqual({ datagrams: 3, bytes: 2500 });
    // Three pauses of 20 ms at least; the upper bound is left to the machine.
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    await eventually(() => expect(peer.received).toHaveLength(3));
    expect(peer.received.map((entry) => entry.message.length)).toEqual([1000, 1000, 500]);
    expect(
      Buffer.concat(peer.received.map((entry) => entry.message)).equals(Buffer.from(file)),
    ).toBe(true);
  });

  it('refuses bad input at the boundary, naming the field', async () => {
    await expect(call(engine, 'udp.bind', { localAddress: 'not an address' })).rejects.toThrow(
      /localAddress: "not an address" is not an IPv4 or IPv6 address/,
    );
    await expect(call(engine, 'udp.bind', { localPort: 70000 })).rejects.toThrow(
      /localPort: must be from 0 to 65535/,
    );
    const info = await bind();
    await expect(
      call(engine, 'udp.join', { sessionId: info.id, group: '10.0.0.1' }),
    ).rejects.toThrow(/group: "10\.0\.0\.1" is not a multicast group/);
    await expect(
      call(engine, 'udp.sendDatagrams', {
        sessionId: info.id,
        payload: text('x'),
        datagramBytes: 0,
      }),
    ).rejects.toThrow(/datagramBytes: must be from 1 to 65527 bytes/);
  });

  it('talks to socat UDP4-RECVFROM and UDP6-RECVFROM', async (context) => {
    if (!hasCommand('socat')) {
      console.log('skipped: socat is not installed');
      context.skip();
    }
    for (const [localAddress, family, host] of [
      ['127.0.0.1', 'UDP4', '127.0.0.1'],
      ['::1', 'UDP6', '[::1]'],
    ] as const) {
      const info = await bind({ localAddress });
      // A probe socket finds a free port; socat then takes it (fork serves each datagram).
      const probe = await bind({ localAddress });
      const port = probe.local!.port;
      await call(engine, 'session.remove', { sessionId: probe.id });
      const socat = startChild('socat', [
        `${family}-RECVFROM:${port},bind=${host},fork`,
        'EXEC:cat',
      ]);
      cleanups.push(() => socat.kill());
      await eventually(async () => {
        await call(engine, 'session.send', {
          sessionId: info.id,
          payload: text('socat'),
          to: { host: localAddress, port },
        });
        expect(
          datagrams(info.id, 'in').some(
            (record) => Buffer.from(record.bytes).toString() === 'socat',
          ),
        ).toBe(true);
      }, 8000);
      const reply = datagrams(info.id, 'in').find(
        (record) => Buffer.from(record.bytes).toString() === 'socat',
      )!;
      expect(reply.remote?.port).toBe(port);
    }
  });

  it('receives from nc -u and replies to it', async (context) => {
    if (!hasCommand('nc', '-h')) {
      console.log('skipped: nc (netcat) is not installed');
      context.skip();
    }
    const info = await bind();
    const nc = spawn('nc', ['-u', '127.0.0.1', String(info.local!.port)], {
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    cleanups.push(() => nc.kill());
    nc.stdin?.write('from nc\n');
    await eventually(() => expect(datagrams(info.id, 'in')).toHaveLength(1));
    const sender = (await udpInfo(engine, info.id)).peers[0]!;
    expect(Buffer.from(datagrams(info.id, 'in')[0]!.bytes).toString()).toBe('from nc\n');
    const printed: Buffer[] = [];
    nc.stdout?.on('data', (chunk: Buffer) => printed.push(chunk));
    await call(engine, 'session.send', {
      sessionId: info.id,
      payload: text('reply\\n'),
      to: { host: sender.address, port: sender.port },
    });
    await eventually(() => expect(Buffer.concat(printed).toString()).toBe('reply\n'));
  });

  it('answers a python3 recvfrom / sendto script', async (context) => {
    if (!hasCommand('python3', '--version')) {
      console.log('skipped: python3 is not installed');
      context.skip();
    }
    const python = startChild('python3', [
      '-c',
      [
        'import socket, sys',
        's = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)',
        "s.bind(('127.0.0.1', 0))",
        's.settimeout(10)',
        'print(s.getsockname()[1], flush=True)',
        'data, peer = s.recvfrom(65535)',
        's.sendto(bytes(reversed(data)), peer)',
        'print(peer[1], len(data), flush=True)',
      ].join('\n'),
    ]);
    cleanups.push(() => python.kill());
    let printed = '';
    python.stdout?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    const lines = (): string[] => printed.trim().split('\n');
    const port = await eventually(() => {
      expect(printed).toContain('\n');
      return Number(lines()[0]);
    });
    const info = await bind();
    await call(engine, 'session.send', {
      sessionId: info.id,
      payload: { format: 'hex', text: '01 02 03 ff' },
      to: { host: '127.0.0.1', port },
    });
    await eventually(() => expect(datagrams(info.id, 'in')).toHaveLength(1));
    expect(Buffer.from(datagrams(info.id, 'in')[0]!.bytes).toString('hex')).toBe('ff030201');
    await eventually(() => expect(lines()[1]).toBe(`${info.local!.port} 4`));
  });
});
