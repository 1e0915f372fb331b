import { spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../../src/main/engine';
import { call, eventually } from '../../../support/engine-calls';
import { exportFile } from '../../../support/export-file';
import {
  decodeIpPacket,
  ipv4HeaderChecksumValid,
  readPcapng,
  transportChecksumValid,
} from '../../../support/pcapng-reader';

// A UDP session's real traffic (IPv4, and a dual-stack socket talking IPv4 and
// IPv6; empty and largest datagrams) exported as pcapng, CSV and JSON Lines.

const tsharkProbe = spawnSync('tshark', ['-v']);
const tsharkAvailable = tsharkProbe.status === 0;
if (!tsharkAvailable)
  console.log(
    'skipped: tshark is not installed, so the pcapng is checked by the in-test reader only',
  );

async function echoPeer(type: 'udp4' | 'udp6', host: string): Promise<Socket> {
  const socket = createSocket(type);
  socket.on('message', (message, from) => socket.send(message, from.port, from.address));
  await new Promise<void>((resolve) => socket.bind(0, host, resolve));
  return socket;
}

describe('exporting UDP traffic', () => {
  let engine: Engine;
  let peer4: Socket;
  let peer6: Socket;
  let v4Session = '';
  let dualSession = '';
  let v4Port = 0;
  let dualPort = 0;
  const biggest = Buffer.alloc(65_507, 0x61);

  beforeAll(async () => {
    engine = await Engine.start({ transport: 'web', version: 'test' });
    peer4 = await echoPeer('udp4', '127.0.0.1');
    peer6 = await echoPeer('udp6', '::1');
    const v4 = await call(engine, 'udp.bind', { localAddress: '127.0.0.1' });
    const dual = await call(engine, 'udp.bind', { localAddress: '::' });
    v4Session = v4.id;
    dualSession = dual.id;
    v4Port = v4.local!.port;
    dualPort = dual.local!.port;
    const to4 = { host: '127.0.0.1', port: peer4.address().port };
    const to6 = { host: '::1', port: peer6.address().port };
    const inbound = () => [...engine.log.iterate()].filter((record) => record.direction === 'in');
    // Each echo is awaited before the next send, so the log's order is fixed.
    const send = async (sessionId: string, to: { host: string; port: number }, bytes: Buffer) => {
      const before = inbound().length;
      await call(engine, 'session.send', {
        sessionId,
        to,
        payload: { format: 'base64', text: bytes.toString('base64') },
      });
      await eventually(() => expect(inbound()).toHaveLength(before + 1));
    };
    await send(v4Session, to4, Buffer.from('hello udp'));
    await send(v4Session, to4, Buffer.alloc(0));
    await send(v4Session, to4, biggest);
    await send(dualSession, to4, Buffer.from('mapped'));
    await send(dualSession, to6, Buffer.from('over v6'));
  });

  afterAll(async () => {
    await engine.close();
    peer4.close();
    peer6.close();
  });

  it('pcapng: one UDP datagram per record, with its ports, length, payload and checksums', async () => {
    const { data } = await exportFile(engine, 'pcapng', v4Session);
    const raw = readPcapng(data).packets.map((packet) => packet.data);
    const packets = raw.map((packet) => decodeIpPacket(packet));
    expect(packets).toHaveLength(6);
    const port4 = peer4.address().port;
    expect(packets.map((packet) => [packet.transport, packet.srcPort, packet.dstPort])).toEqual([
      ['udp', v4Port, port4],
      ['udp', port4, v4Port],
      ['udp', v4Port, port4],
      ['udp', port4, v4Port],
      ['udp', v4Port, port4],
      ['udp', port4, v4Port],
    ]);
    expect(packets.map((packet) => packet.payload.length)).toEqual([9, 9, 0, 0, 65_507, 65_507]);
    expect(raw.every((packet) => ipv4HeaderChecksumValid(packet))).toBe(true);
    expect(raw.every((packet) => transportChecksumValid(packet))).toBe(true);
    expect(packets[5]!.payload.equals(biggest)).toBe(true);
  });

  it.skipIf(!tsharkAvailable)(
    'tshark reads udp.srcport, udp.dstport, udp.length and the payload, with good checksums',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'sockscope-udp-'));
      try {
        const path = join(dir, 'udp.pcapng');
        writeFileSync(path, (await exportFile(engine, 'pcapng')).data);
        const run = spawnSync(
          'tshark',
          [
            '-r',
            path,
            '-o',
            'udp.check_checksum:TRUE',
            '-o',
            'ip.check_checksum:TRUE',
            '-T',
            'fields',
            '-e',
            'ip.src',
            '-e',
            'ipv6.src',
            '-e',
            'udp.srcport',
            '-e',
            'udp.dstport',
            '-e',
            'udp.length',
            '-e',
            'udp.checksum.status',
            '-e',
            'udp.payload',
          ],
          { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
        );
        expect(run.status, run.stderr).toBe(0);
        const lines = run.stdout
          .trim()
          .split('\n')
          .map((line) => line.split('\t'));
        expect(lines).toHaveLength(10);
        const port4 = String(peer4.address().port);
        const port6 = String(peer6.address().port);
        const [first, , empty, , big] = lines;
        expect(first).toEqual([
          '127.0.0.1',
          '',
          String(v4Port),
          port4,
          '17',
          '1',
          Buffer.from('hello udp').toString('hex'),
        ]);
        expect(empty!.slice(2, 6)).toEqual([String(v4Port), port4, '8', '1']);
        expect(big!.slice(2, 6)).toEqual([String(v4Port), port4, String(65_515), '1']);
        expect(big![6]).toBe(biggest.toString('hex'));
        // The dual-stack socket: IPv4 to the IPv4 peer, IPv6 to ::1.
        const mapped = lines.find((line) => line[6] === Buffer.from('mapped').toString('hex'))!;
        expect(mapped.slice(0, 4)).toEqual(['0.0.0.0', '', String(dualPort), port4]);
        const v6 = lines.find((line) => line[6] === Buffer.from('over v6').toString('hex'))!;
        expect(v6.slice(1, 6)).toEqual(['::', String(dualPort), port6, '15', '1']);
        expect(lines.every((line) => line[5] === '1')).toBe(true);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it('CSV and JSON Lines carry the transport and each datagram’s peer', async () => {
    const csv = (await exportFile(engine, 'csv', dualSession)).data.toString('utf8');
    const rows = csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
      .map((line) => line.split(','));
    const header = rows[0]!;
    const column = (name: string) => header.indexOf(name);
    const datagramRows = rows.slice(1).filter((row) => row[column('direction')] !== 'event');
    expect(datagramRows.map((row) => row[column('transport')])).toEqual([
      'udp',
      'udp',
      'udp',
      'udp',
    ]);
    expect(datagramRows.map((row) => row[column('remote')])).toEqual(
      expect.arrayContaining([
        `[::ffff:127.0.0.1]:${peer4.address().port}`,
        `[::1]:${peer6.address().port}`,
      ]),
    );

    const lines = (await exportFile(engine, 'jsonl', dualSession)).data
      .toString('utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const inbound = lines.filter((line) => line.direction === 'in');
    expect(inbound).toHaveLength(2);
    for (const line of inbound) {
      expect(line.transport).toBe('udp');
      expect(line.remote).toMatchObject({ family: 'IPv6' });
    }
    expect(inbound.map((line) => (line.remote as { port: number }).port).sort()).toEqual(
      [peer4.address().port, peer6.address().port].sort(),
    );
  });
});
