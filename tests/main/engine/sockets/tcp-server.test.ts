import { randomBytes } from 'node:crypto';
import { connect, createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TcpPeerInfo, TcpServerInfo } from '@shared/contract';
import { ErrorCode } from '@shared/errors';
import { Engine } from '../../../../src/main/engine';
import { call, eventually, tcpPeerInfo, tcpServerInfo } from '../../../support/engine-calls';
import { connectClient, runTool } from '../../../support/clients';
import type { TestClient } from '../../../support/clients';
import { freePort, hasCommand } from '../../../support/peers';

const text = (value: string) => ({ format: 'text' as const, text: value });

describe('TCP server sessions with real clients on loopback', () => {
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

  async function listen(args: Parameters<typeof call<'tcp.listen'>>[2] = { port: 0 }) {
    const server = await call(engine, 'tcp.listen', { host: '127.0.0.1', ...args });
    return { server, port: server.local!.port };
  }
  async function client(port: number, host = '127.0.0.1'): Promise<TestClient> {
    const connected = await connectClient(port, host);
    clients.push(connected);
    return connected;
  }
  const serverInfo = (sessionId: string) => tcpServerInfo(engine, sessionId);
  const peerInfo = (sessionId: string) => tcpPeerInfo(engine, sessionId);
  /** The peer session of the client whose own port is `port`. */
  async function peerOf(server: TcpServerInfo, port: number): Promise<TcpPeerInfo> {
    return eventually(async () => {
      for (const id of (await serverInfo(server.id)).peerIds) {
        const peer = await peerInfo(id);
        if (peer.remote.port === port) return peer;
      }
      throw new Error(`no peer from port ${port}`);
    });
  }
  const records = (sessionId: string) => [...engine.log.iterate(sessionId)];
  const events = (sessionId: string) =>
    records(sessionId).filter((record) => record.direction === 'event');

  it('listens on port 0, shows the granted port, and files each client under its own session', async () => {
    const { server, port } = await listen({ port: 0, backlog: 64 });
    expect(server).toMatchObject({
      kind: 'tcp-server',
      state: 'listening',
      requested: { host: '127.0.0.1', port: 0 },
      backlog: 64,
      mode: 'interactive',
      clientsNow: 0,
    });
    expect(port).toBeGreaterThan(0);
    expect(server.fd).toBeGreaterThan(2);
    expect(events(server.id)[0]!.message).toContain(`port ${port} granted by the OS`);

    const one = await client(port);
    one.socket.write('hello\r\n');
    const peer = await peerOf(server, one.localPort);
    expect(peer).toMatchObject({
      kind: 'tcp-peer',
      serverId: server.id,
      state: 'connected',
      local: { address: '127.0.0.1', port, family: 'IPv4' },
      remote: { address: '127.0.0.1', port: one.localPort, family: 'IPv4' },
      noDelay: true,
      keepAlive: false,
    });
    expect(peer.id.startsWith(`${server.id}.`)).toBe(true);
    expect(peer.fd).toBeGreaterThan(2);
    await eventually(() =>
      expect(records(peer.id).map((r) => r.event ?? r.direction)).toEqual(['accepted', 'in']),
    );
    const inbound = records(peer.id)[1]!;
    expect(Buffer.from(inbound.bytes).toString()).toBe('hello\r\n');
    expect(inbound.remote).toEqual(peer.remote);
    expect(inbound.transport).toBe('tcp');
    // The server's own export holds its clients' records too.
    expect(records(server.id).some((r) => r.sessionId === peer.id)).toBe(true);
    await eventually(async () =>
      expect(await serverInfo(server.id)).toMatchObject({ clientsNow: 1, clientsTotal: 1 }),
    );
    await eventually(async () =>
      expect((await peerInfo(peer.id)).stats).toMatchObject({ bytesIn: 7, packetsIn: 1 }),
    );
  });

  it('broadcasts to 50 clients and each receives the bytes exactly once', async () => {
    const { server, port } = await listen();
    const fifty = await Promise.all(Array.from({ length: 50 }, () => client(port)));
    await eventually(async () => expect((await serverInfo(server.id)).clientsNow).toBe(50));
    const result = await call(engine, 'session.send', {
      sessionId: server.id,
      payload: text('tick\\n'),
      peers: 'all',
    });
    expect(result.bytes).toBe(5 * 50);
    await eventually(() => {
      for (const each of fifty) expect(each.received().toString()).toBe('tick\n');
    });
    // Give a duplicate time to show up before the final check.
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const each of fifty) expect(each.received().toString()).toBe('tick\n');
  });

  it('sends to a selection only, and repeats to it', async () => {
    const { server, port } = await listen();
    const [a, b, c] = await Promise.all([client(port), client(port), client(port)]);
    const peerB = await peerOf(server, b!.localPort);
    const peerC = await peerOf(server, c!.localPort);
    await call(engine, 'session.send', {
      sessionId: server.id,
      payload: text('only-b'),
      peers: [peerB.id],
    });
    await eventually(() => expect(b!.received().toString()).toBe('only-b'));
    await call(engine, 'session.repeat', {
      sessionId: server.id,
      payload: text('r'),
      peers: [peerB.id, peerC.id],
      intervalMs: 20,
      count: 3,
    });
    await eventually(() => {
      expect(b!.received().toString()).toBe('only-brrr');
      expect(c!.received().toString()).toBe('rrr');
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(a!.received().length).toBe(0);
    expect(c!.received().toString()).toBe('rrr');
  });

  it('refuses sends that name no client, an unknown one, or an address', async () => {
    const { server } = await listen();
    await expect(
      call(engine, 'session.send', { sessionId: server.id, payload: text('x') }),
    ).rejects.toMatchObject({ code: ErrorCode.sessionUnsupported, message: /peers/ });
    await expect(
      call(engine, 'session.send', {
        sessionId: server.id,
        payload: text('x'),
        peers: [`${server.id}.99`],
      }),
    ).rejects.toMatchObject({ code: ErrorCode.sessionNotFound, message: /no client/ });
    await expect(
      call(engine, 'session.send', { sessionId: server.id, payload: text('x'), peers: 'all' }),
    ).rejects.toMatchObject({ code: ErrorCode.sessionNotConnected, message: /none of the chosen/ });
    await expect(
      call(engine, 'session.send', {
        sessionId: server.id,
        payload: text('x'),
        to: { host: '127.0.0.1', port: 9 },
      }),
    ).rejects.toMatchObject({ code: ErrorCode.sessionUnsupported });
  });

  it('disconnects with FIN or resets with RST, and the clients see the difference', async () => {
    const { server, port } = await listen();
    const polite = await client(port);
    const rude = await client(port);
    const politePeer = await peerOf(server, polite.localPort);
    const rudePeer = await peerOf(server, rude.localPort);

    expect(
      await call(engine, 'tcp.server.disconnect', {
        sessionId: server.id,
        peers: [politePeer.id],
      }),
    ).toEqual({ disconnected: 1 });
    expect(await polite.ended).toBe('fin');
    polite.socket.end();
    await call(engine, 'tcp.server.disconnect', {
      sessionId: server.id,
      peers: [rudePeer.id],
      reset: true,
    });
    expect(await rude.ended).toBe('ECONNRESET');

    await eventually(async () => {
      expect(await peerInfo(politePeer.id)).toMatchObject({ state: 'closed', endedBy: 'us' });
      expect(await peerInfo(rudePeer.id)).toMatchObject({
        state: 'closed',
        endedBy: 'reset-by-us',
      });
    });
    expect(events(rudePeer.id).map((r) => r.event)).toEqual(['accepted', 'reset-sent', 'closed']);
    const server2 = await serverInfo(server.id);
    expect(server2.clientsNow).toBe(0);
  });

  it("answers a client's FIN with ours, and refuses sends after it", async () => {
    const { server, port } = await listen();
    const one = await client(port);
    const peer = await peerOf(server, one.localPort);
    one.socket.end();
    expect(await one.ended).toBe('fin');
    await eventually(async () => expect((await peerInfo(peer.id)).state).toBe('closed'));
    await expect(
      call(engine, 'session.send', { sessionId: peer.id, payload: text('late') }),
    ).rejects.toMatchObject({ code: ErrorCode.sessionNotConnected });
    expect(events(peer.id).map((r) => r.event)).toEqual(['accepted', 'half-closed', 'closed']);
    expect((await peerInfo(peer.id)).endedBy).toBe('peer');
  });

  it('closes all clients at once and keeps listening', async () => {
    const { server, port } = await listen();
    const all = await Promise.all([client(port), client(port), client(port)]);
    await eventually(async () => expect((await serverInfo(server.id)).clientsNow).toBe(3));
    expect(
      await call(engine, 'tcp.server.disconnect', { sessionId: server.id, peers: 'all' }),
    ).toEqual({ disconnected: 3 });
    expect(await Promise.all(all.map((each) => each.ended))).toEqual(['fin', 'fin', 'fin']);
    expect((await serverInfo(server.id)).state).toBe('listening');
  });

  it('reports a reset by the client in words with the OS code', async () => {
    const { server, port } = await listen();
    const one = await client(port);
    const peer = await peerOf(server, one.localPort);
    one.socket.resetAndDestroy();
    await eventually(async () => {
      const info = await peerInfo(peer.id);
      expect(info.state).toBe('closed');
      expect(info.endedBy).toBe('reset-by-peer');
      expect(info.lastError).toMatchObject({
        code: ErrorCode.socketReset,
        message: expect.stringMatching(/reset by peer .*\(ECONNRESET\)/),
      });
    });
  });

  it('refuses connections beyond the maximum and logs each with the address', async () => {
    const { server, port } = await listen({ port: 0, maxClients: 2 });
    await client(port);
    await client(port);
    await eventually(async () => expect((await serverInfo(server.id)).clientsNow).toBe(2));
    // The kernel completes the handshake before the server sees the connection, so
    // the refusal is a reset that may come before or after the client's "connect".
    const thirdPort = await freePort();
    const third = connect({ host: '127.0.0.1', port, localPort: thirdPort });
    const got: Buffer[] = [];
    third.on('data', (chunk: Buffer) => got.push(chunk));
    const how = await new Promise<string>((resolve) => {
      third.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      third.once('end', () => resolve('fin'));
    });
    third.destroy();
    expect(how).toBe('ECONNRESET');
    expect(got).toEqual([]);
    await eventually(() => {
      const refused = events(server.id).filter((r) => r.event === 'refused');
      expect(refused).toHaveLength(1);
      expect(refused[0]!.remote).toMatchObject({ address: '127.0.0.1', port: thirdPort });
      expect(refused[0]!.message).toContain(`127.0.0.1:${thirdPort}`);
      expect(refused[0]!.message).toContain('maximum is 2');
    });
    expect(await serverInfo(server.id)).toMatchObject({ clientsNow: 2, refusals: 1 });

    // Raising the limit while running lets the next one in.
    await call(engine, 'tcp.server.configure', { sessionId: server.id, maxClients: 3 });
    const fourth = await client(port);
    await peerOf(server, fourth.localPort);
  });

  it('kicks a client idle longer than the limit and says why', async () => {
    const { server, port } = await listen({ port: 0, idleKickSeconds: 1 });
    const idle = await client(port);
    const peer = await peerOf(server, idle.localPort);
    expect(await idle.ended).toBe('fin');
    idle.socket.end();
    await eventually(async () =>
      expect(await peerInfo(peer.id)).toMatchObject({ state: 'closed', endedBy: 'idle-kick' }),
    );
    const idleEvent = events(peer.id).find((r) => r.event === 'idle');
    expect(idleEvent?.message).toMatch(
      /No traffic from 127\.0\.0\.1:\d+ for 1 s: closing \(idle kick\)/,
    );
  });

  it('echo mode sends back exactly what it receives until the client closes (Node client)', async () => {
    const { server, port } = await listen({ port: 0, mode: 'echo' });
    const one = await client(port);
    const peer = await peerOf(server, one.localPort);
    const sent = randomBytes(1024 * 1024);
    one.socket.end(sent);
    expect(await one.ended).toBe('fin');
    expect(one.received().equals(sent)).toBe(true);
    await eventually(async () =>
      expect((await peerInfo(peer.id)).stats).toMatchObject({
        bytesIn: sent.length,
        bytesOut: sent.length,
      }),
    );
  });

  it.skipIf(!hasCommand('python3', '--version'))(
    'echo mode is byte-exact for a python3 client',
    async () => {
      const { port } = await listen({ port: 0, mode: 'echo' });
      const script = [
        'import socket, sys',
        `s = socket.create_connection(("127.0.0.1", ${port}))`,
        'data = bytes(range(256)) * 64',
        's.sendall(data); s.shutdown(socket.SHUT_WR)',
        'got = b""',
        'while True:',
        '    chunk = s.recv(65536)',
        '    if not chunk: break',
        '    got += chunk',
        'sys.stdout.write("same" if got == data else "differ %d" % len(got))',
      ].join('\n');
      const result = await runTool('python3', ['-c', script]);
      expect(result.stdout.toString()).toBe('same');
    },
  );

  it.skipIf(!hasCommand('socat'))('echo mode is byte-exact for socat', async () => {
    const { port } = await listen({ port: 0, mode: 'echo' });
    const input = Buffer.from('line one\r\n第二行 GBK? no, UTF-8\n\x00\x01\x02');
    const result = await runTool('socat', ['-t', '2', '-', `TCP:127.0.0.1:${port}`], input);
    expect(result.stdout.equals(input)).toBe(true);
  });

  it.skipIf(!hasCommand('nc', '-h'))(
    'one request, one answer: a line ending ends the request, the answer is exact, then FIN (nc)',
    async () => {
      const { server, port } = await listen({
        port: 0,
        mode: 'request-answer',
        answer: { format: 'text', text: 'HTTP/1.0 200 OK\\r\\n\\r\\nhi' },
      });
      const result = await runTool('nc', ['-N', '127.0.0.1', String(port)], 'GET / HTTP/1.0\r\n');
      expect(result.stdout.toString()).toBe('HTTP/1.0 200 OK\r\n\r\nhi');
      await eventually(() => {
        const peerIds = new Set(records(server.id).map((r) => r.sessionId));
        peerIds.delete(server.id);
        expect(peerIds.size).toBe(1);
        const [peerId] = [...peerIds];
        const kinds = records(peerId!).map((r) => r.event ?? r.direction);
        expect(kinds.slice(0, 4)).toEqual(['accepted', 'in', 'out', 'info']);
        expect(kinds).toContain('closed');
      });
    },
  );

  it('one request, one answer: ended by a byte count (Node client), answered once', async () => {
    const { port } = await listen({
      port: 0,
      mode: 'request-answer',
      requestEnd: { by: 'bytes', count: 4 },
      answer: { format: 'hex', text: 'de ad be ef' },
    });
    const one = await client(port);
    one.socket.write('ab');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(one.received().length).toBe(0);
    one.socket.write('cdEXTRA');
    expect(await one.ended).toBe('fin');
    expect(one.received().toString('hex')).toBe('deadbeef');
  });

  it.skipIf(!hasCommand('python3', '--version'))(
    'one request, one answer: ended by a quiet gap (python3 client)',
    async () => {
      const { port } = await listen({
        port: 0,
        mode: 'request-answer',
        requestEnd: { by: 'quiet', ms: 150 },
        answer: { format: 'text', text: 'done' },
      });
      const script = [
        'import socket, sys, time',
        `s = socket.create_connection(("127.0.0.1", ${port}))`,
        's.sendall(b"no line ending")',
        'got = b""',
        'while True:',
        '    chunk = s.recv(100)',
        '    if not chunk: break',
        '    got += chunk',
        'sys.stdout.write(got.decode())',
      ].join('\n');
      const result = await runTool('python3', ['-c', script]);
      expect(result.stdout.toString()).toBe('done');
    },
  );

  const packetSender = hasCommand('packetsender', '--version');
  if (!packetSender)
    console.log('packetsender not installed: skipping the Packet Sender CLI client test');
  it.skipIf(!packetSender)(
    "one request, one answer answers Packet Sender's CLI (packetsender -taw 500)",
    async () => {
      const { port } = await listen({
        port: 0,
        mode: 'request-answer',
        answer: { format: 'text', text: 'pong\\r\\n' },
      });
      const result = await runTool('packetsender', [
        '-taw',
        '500',
        '127.0.0.1',
        String(port),
        'hello\\r\\n',
      ]);
      const output = result.stdout.toString();
      // It prints what it sent in hex, then the response in hex and escaped ASCII.
      expect(output).toContain(`127.0.0.1:${port} 68 65 6c 6c 6f 0d 0a`);
      expect(output).toContain('Response HEX:70 6F 6E 67 0D 0A');
    },
  );

  it('changes mode while running: echo, then interactive, then one request one answer', async () => {
    const { server, port } = await listen();
    const one = await client(port);
    await peerOf(server, one.localPort);
    one.socket.write('quiet\n');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(one.received().length).toBe(0);

    const echoing = await call(engine, 'tcp.server.configure', {
      sessionId: server.id,
      mode: 'echo',
    });
    expect(echoing.mode).toBe('echo');
    one.socket.write('back?\n');
    await eventually(() => expect(one.received().toString()).toBe('back?\n'));

    await call(engine, 'tcp.server.configure', { sessionId: server.id, mode: 'interactive' });
    one.socket.write('not echoed\n');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(one.received().toString()).toBe('back?\n');

    await call(engine, 'tcp.server.configure', {
      sessionId: server.id,
      mode: 'request-answer',
      answer: text('bye'),
    });
    one.socket.write('last request\n');
    expect(await one.ended).toBe('fin');
    expect(one.received().toString()).toBe('back?\nbye');
    expect(events(server.id).some((r) => r.message?.includes('mode one request, one answer'))).toBe(
      true,
    );
  });

  it('runs several servers at once, each with its own clients', async () => {
    const first = await listen();
    const second = await listen({ port: 0, mode: 'echo' });
    const a = await client(first.port);
    const b = await client(second.port);
    b.socket.write('echo');
    await eventually(() => expect(b.received().toString()).toBe('echo'));
    await eventually(async () => {
      expect((await serverInfo(first.server.id)).clientsNow).toBe(1);
      expect((await serverInfo(second.server.id)).clientsNow).toBe(1);
    });
    expect(a.received().length).toBe(0);
  });

  it('says in words why it cannot listen: address in use, address not available', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const taken = (holder.address() as AddressInfo).port;
    try {
      await expect(listen({ port: taken })).rejects.toMatchObject({
        code: ErrorCode.socketAddressInUse,
        message: `Cannot listen on 127.0.0.1:${taken}: address already in use: another socket holds that address and port (EADDRINUSE)`,
      });
    } finally {
      holder.close();
    }
    // 192.0.2.1 (TEST-NET-1) is on no interface here; binding sends nothing.
    await expect(call(engine, 'tcp.listen', { host: '192.0.2.1', port: 0 })).rejects.toMatchObject({
      code: ErrorCode.socketAddressNotAvailable,
      message: expect.stringContaining('address not available') as unknown as string,
    });
    await expect(call(engine, 'tcp.listen', { host: 'nope', port: 1 })).rejects.toMatchObject({
      code: ErrorCode.invalidArgs,
      message: expect.stringContaining('host') as unknown as string,
    });
    expect((await call(engine, 'session.list', {})).filter((s) => s.kind === 'tcp-server')).toEqual(
      [],
    );
  });

  // Root may bind any port (CAP_NET_BIND_SERVICE), so as root the listen runs in a child
  // started without that capability.
  const root = process.getuid?.() === 0;
  const canDropToNobody = root && hasCommand('setpriv', '--version');
  if (root && !canDropToNobody)
    console.log('running as root without setpriv: skipping the permission-denied listen test');
  it.skipIf(root && !canDropToNobody)(
    'says permission denied for a port below 1024 without privileges',
    async () => {
      const expected = {
        code: ErrorCode.socketPermissionDenied,
        message:
          'Cannot listen on 127.0.0.1:1: permission denied: ports below 1024 need privileges (EACCES)',
      };
      if (!root) {
        await expect(
          call(engine, 'tcp.listen', { host: '127.0.0.1', port: 1 }),
        ).rejects.toMatchObject(expected);
        return;
      }
      const repo = join(import.meta.dirname, '..', '..', '..', '..');
      const result = await runTool(
        'setpriv',
        [
          '--bounding-set=-net_bind_service',
          '--inh-caps=-net_bind_service',
          process.execPath,
          join(repo, 'node_modules/tsx/dist/cli.mjs'),
          '--tsconfig',
          join(repo, 'tsconfig.node.json'),
          join(repo, 'tests/support/listen-once.ts'),
          '127.0.0.1',
          '1',
        ],
        '',
        60_000,
      );
      const envelope = JSON.parse(result.stdout.toString()) as { ok: boolean; error?: unknown };
      expect(envelope.ok).toBe(false);
      expect(envelope.error).toMatchObject(expected);
    },
    90_000,
  );

  it('listens on :: for IPv6 and IPv4 (dual-stack) or IPv6 only', async () => {
    const v6 = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(false));
      probe.listen(0, '::1', () => probe.close(() => resolve(true)));
    });
    if (!v6) {
      console.log('no IPv6 on loopback (::1 cannot be bound): skipping the :: listener checks');
      return;
    }
    const dual = await call(engine, 'tcp.listen', { host: '::', port: 0 });
    expect(dual.local).toMatchObject({ address: '::', family: 'IPv6' });
    const over4 = await client(dual.local!.port, '127.0.0.1');
    const over6 = await client(dual.local!.port, '::1');
    const peer4 = await peerOf(dual, over4.localPort);
    const peer6 = await peerOf(dual, over6.localPort);
    expect(peer4.remote.address).toBe('::ffff:127.0.0.1');
    expect(peer6.remote).toMatchObject({ address: '::1', family: 'IPv6' });

    const only6 = await call(engine, 'tcp.listen', { host: '::', port: 0, ipv6Only: true });
    expect(only6.ipv6Only).toBe(true);
    const refused = await new Promise<string>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port: only6.local!.port });
      socket.once('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
    const fine6 = await client(only6.local!.port, '::1');
    await peerOf(only6, fine6.localPort);
  });

  it('removing a server closes its clients and removes their sessions too', async () => {
    const { server, port } = await listen();
    const one = await client(port);
    const peer = await peerOf(server, one.localPort);
    await call(engine, 'session.remove', { sessionId: server.id });
    expect(await one.ended).not.toBe('open');
    const left = (await call(engine, 'session.list', {})).map((session) => session.id);
    expect(left).not.toContain(server.id);
    expect(left).not.toContain(peer.id);
    await expect(call(engine, 'session.info', { sessionId: peer.id })).rejects.toMatchObject({
      code: ErrorCode.sessionNotFound,
    });
  });
});
