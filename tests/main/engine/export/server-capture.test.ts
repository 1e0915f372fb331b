import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../../src/main/engine';
import {
  exportCsv,
  exportJsonLines,
  exportPcapng,
} from '../../../../src/main/engine/export/capture-export';
import { call, eventually } from '../../../support/engine-calls';
import { connectClient } from '../../../support/clients';
import { decodeIpPacket, readPcapng } from '../../../support/pcapng-reader';

// A server's conversations exported: the clients dialed, so their SYNs come first;
// what they sent is inbound, what we sent outbound; an RST where we reset one.

const tsharkAvailable = spawnSync('tshark', ['-v']).status === 0;
if (!tsharkAvailable)
  console.log('tshark not available: skipping the follow,tcp checks of the server export');

describe('a TCP server in the exports', () => {
  let engine: Engine;
  let serverId = '';
  let port = 0;
  let politePort = 0;
  let rudePort = 0;
  let leaverPort = 0;
  let pcapng: Buffer = Buffer.alloc(0);
  let dir = '';

  beforeAll(async () => {
    engine = await Engine.start({ transport: 'web', version: 'test' });
    const server = await call(engine, 'tcp.listen', { host: '127.0.0.1', port: 0 });
    serverId = server.id;
    port = server.local!.port;
    const polite = await connectClient(port);
    const rude = await connectClient(port);
    politePort = polite.localPort;
    rudePort = rude.localPort;
    const peers = await eventually(async () => {
      const info = await call(engine, 'session.info', { sessionId: serverId });
      if (info.kind !== 'tcp-server' || info.peerIds.length !== 2) throw new Error('not yet');
      return Promise.all(
        info.peerIds.map((sessionId) => call(engine, 'session.info', { sessionId })),
      );
    });
    const peerOf = (clientPort: number) =>
      peers.find((peer) => peer.kind === 'tcp-peer' && peer.remote.port === clientPort)!.id;

    polite.socket.write('hello\r\n');
    await eventually(() =>
      expect([...engine.log.iterate(peerOf(politePort))].some((r) => r.direction === 'in')).toBe(
        true,
      ),
    );
    await call(engine, 'session.send', {
      sessionId: serverId,
      payload: { format: 'text', text: 'world\\r\\n' },
      peers: [peerOf(politePort)],
    });
    await eventually(() => expect(polite.received().toString()).toBe('world\r\n'));
    await call(engine, 'tcp.server.disconnect', {
      sessionId: serverId,
      peers: [peerOf(politePort)],
    });
    expect(await polite.ended).toBe('fin');
    polite.socket.end();
    rude.socket.write('bye');
    await eventually(() =>
      expect([...engine.log.iterate(peerOf(rudePort))].some((r) => r.direction === 'in')).toBe(
        true,
      ),
    );
    await call(engine, 'tcp.server.disconnect', {
      sessionId: serverId,
      peers: [peerOf(rudePort)],
      reset: true,
    });
    await rude.ended;
    // A client that closes first: its FIN, then ours.
    const leaver = await connectClient(port);
    leaverPort = leaver.localPort;
    await eventually(async () => {
      const info = await call(engine, 'session.info', { sessionId: serverId });
      if (info.kind !== 'tcp-server' || info.clientsTotal !== 3) throw new Error('not yet');
    });
    leaver.socket.write('leaving');
    leaver.socket.end();
    expect(await leaver.ended).toBe('fin');
    await eventually(() =>
      expect([...engine.log.iterate(serverId)].filter((r) => r.event === 'closed').length).toBe(3),
    );
    pcapng = exportPcapng(engine.log.iterate(serverId));
    dir = mkdtempSync(join(tmpdir(), 'sockscope-server-pcapng-'));
    writeFileSync(join(dir, 'server.pcapng'), pcapng);
  });
  afterAll(async () => {
    await engine.close();
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it('writes each connection with the client dialing, the right directions, FIN or RST', () => {
    const packets = readPcapng(pcapng).packets.map((packet) => ({
      flags: packet.flags,
      ip: decodeIpPacket(packet.data),
    }));
    const politeSyn = packets.find(
      (p) => p.ip.transport === 'tcp' && p.ip.srcPort === politePort && p.ip.flags === 0x02,
    );
    expect(politeSyn?.flags).toBe(1); // inbound: the client's SYN came to us
    const hello = packets.find((p) => p.ip.payload.toString() === 'hello\r\n');
    expect(hello).toMatchObject({ flags: 1, ip: { srcPort: politePort, dstPort: port } });
    const world = packets.find((p) => p.ip.payload.toString() === 'world\r\n');
    expect(world).toMatchObject({ flags: 2, ip: { srcPort: port, dstPort: politePort } });
    const rst = packets.filter((p) => p.ip.transport === 'tcp' && (p.ip.flags & 0x04) !== 0);
    expect(rst).toHaveLength(1);
    expect(rst[0]).toMatchObject({ flags: 2, ip: { srcPort: port, dstPort: rudePort } });
    const rudeFins = packets.filter(
      (p) =>
        p.ip.transport === 'tcp' &&
        (p.ip.flags & 0x01) !== 0 &&
        (p.ip.srcPort === rudePort || p.ip.dstPort === rudePort),
    );
    expect(rudeFins).toEqual([]);
    // Who closed first sends the first FIN; the other's FIN answers it, the first side ACKs.
    const closing = (clientPort: number) =>
      packets
        .filter(
          (p) =>
            p.ip.transport === 'tcp' &&
            (p.ip.srcPort === clientPort || p.ip.dstPort === clientPort) &&
            p.ip.payload.length === 0 &&
            (p.ip.flags & 0x12) === 0x10,
        )
        .slice(-3)
        .map((p) => ({ from: p.ip.srcPort, fin: (p.ip.flags & 0x01) !== 0 }));
    expect(closing(leaverPort)).toEqual([
      { from: leaverPort, fin: true },
      { from: port, fin: true },
      { from: leaverPort, fin: false },
    ]);
    expect(closing(politePort)).toEqual([
      { from: port, fin: true },
      { from: politePort, fin: true },
      { from: port, fin: false },
    ]);
  });

  it('carries the client in CSV and JSON Lines', () => {
    const records = [...engine.log.iterate(serverId)];
    const csv = exportCsv(records, (bytes) => Buffer.from(bytes).toString('latin1')).toString();
    const helloRow = csv
      .split('\r\n')
      .find((line) => line.includes(',in,') && line.includes('hello'));
    expect(helloRow).toContain(`,127.0.0.1:${port},127.0.0.1:${politePort},`);
    const lines = exportJsonLines(records)
      .toString()
      .trim()
      .split('\n')
      .map(
        (line) => JSON.parse(line) as { sessionId: string; event: string | null; remote: unknown },
      );
    const refusedOrAccepted = lines.filter((line) => line.event === 'accepted');
    expect(refusedOrAccepted.map((line) => line.remote)).toEqual([
      { address: '127.0.0.1', port: politePort, family: 'IPv4' },
      { address: '127.0.0.1', port: rudePort, family: 'IPv4' },
      { address: '127.0.0.1', port: leaverPort, family: 'IPv4' },
    ]);
    expect(new Set(lines.map((line) => line.sessionId)).size).toBe(4);
  });

  it.skipIf(!tsharkAvailable)('tshark follows each conversation', () => {
    const follow = (stream: number): string => {
      const result = spawnSync(
        'tshark',
        ['-r', join(dir, 'server.pcapng'), '-q', '-z', `follow,tcp,ascii,${stream}`],
        { encoding: 'utf8' },
      );
      expect(result.status).toBe(0);
      return result.stdout;
    };
    const first = follow(0);
    expect(first).toContain(`Node 0: 127.0.0.1:${politePort}`);
    expect(first).toContain(`Node 1: 127.0.0.1:${port}`);
    expect(first).toMatch(/hello/);
    expect(first).toMatch(/world/);
    const second = follow(1);
    expect(second).toContain(`Node 0: 127.0.0.1:${rudePort}`);
    expect(second).toMatch(/bye/);
    const flags = spawnSync(
      'tshark',
      [
        '-r',
        join(dir, 'server.pcapng'),
        '-Y',
        'tcp.flags.reset == 1',
        '-T',
        'fields',
        '-e',
        'tcp.srcport',
        '-e',
        'tcp.stream',
      ],
      { encoding: 'utf8' },
    ).stdout.trim();
    expect(flags).toBe(`${port}\t1`);
    // The leaver's conversation: its FIN first, ours second, and tshark sees a clean close.
    const fins = spawnSync(
      'tshark',
      [
        '-r',
        join(dir, 'server.pcapng'),
        '-Y',
        'tcp.stream == 2 && tcp.flags.fin == 1',
        '-T',
        'fields',
        '-e',
        'tcp.srcport',
      ],
      { encoding: 'utf8' },
    ).stdout.trim();
    expect(fins.split('\n')).toEqual([String(leaverPort), String(port)]);
    const third = follow(2);
    expect(third).toContain(`Node 0: 127.0.0.1:${leaverPort}`);
    expect(third).toMatch(/leaving/);
    const problems = spawnSync(
      'tshark',
      ['-r', join(dir, 'server.pcapng'), '-Y', 'tcp.stream == 2 && tcp.analysis.flags'],
      { encoding: 'utf8' },
    ).stdout.trim();
    expect(problems).toBe('');
  });
});

describe('who closed first, in the pcapng', () => {
  it('writes the side that half-closed first first, and tshark sees no sequence problem', async () => {
    const engine = await Engine.start({ transport: 'web', version: 'test' });
    const folder = mkdtempSync(join(tmpdir(), 'sockscope-fin-order-'));
    try {
      const server = await call(engine, 'tcp.listen', { host: '127.0.0.1', port: 0 });
      const listening = server.local!.port;
      const leaver = await connectClient(listening);
      leaver.socket.write('last words');
      await eventually(() =>
        expect([...engine.log.iterate(server.id)].some((r) => r.direction === 'in')).toBe(true),
      );
      // The client shuts its side first; the server answers with its own FIN.
      leaver.socket.end();
      await leaver.ended;
      await eventually(() =>
        expect([...engine.log.iterate(server.id)].some((r) => r.event === 'closed')).toBe(true),
      );
      const file = exportPcapng(engine.log.iterate(server.id));
      const fins = readPcapng(file)
        .packets.map((packet) => decodeIpPacket(packet.data))
        .filter((ip) => ip.transport === 'tcp' && (ip.flags & 0x01) !== 0);
      expect(fins.map((ip) => ip.srcPort)).toEqual([leaver.localPort, listening]);
      if (!tsharkAvailable) return;
      writeFileSync(join(folder, 'fin.pcapng'), file);
      const problems = spawnSync(
        'tshark',
        [
          '-r',
          join(folder, 'fin.pcapng'),
          '-Y',
          'tcp.analysis.flags',
          '-T',
          'fields',
          '-e',
          'frame.number',
        ],
        { encoding: 'utf8' },
      );
      expect(problems.status).toBe(0);
      expect(problems.stdout.trim()).toBe('');
    } finally {
      await engine.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
