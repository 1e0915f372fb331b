import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SocketAddress } from '@shared/contract/log';
import {
  csvHeader,
  exportCsv,
  exportFileName,
  exportJsonLines,
  exportMimeType,
  exportPcapng,
  isoMicros,
} from '../../../../src/main/engine/export/capture-export';
import type { StoredRecord } from '../../../../src/main/engine/log/stored-record';
import {
  TCP_ACK,
  TCP_FIN,
  TCP_PSH,
  TCP_SYN,
  decodeIpPacket,
  ipv4HeaderChecksumValid,
  readPcapng,
  transportChecksumValid,
} from '../../../support/pcapng-reader';
import type { DecodedPacket, PcapngFile, PcapngPacket } from '../../../support/pcapng-reader';

// ---------------------------------------------------------------------------
// Records as the engine stores them

const v4 = (address: string, port: number): SocketAddress => ({ address, port, family: 'IPv4' });
const v6 = (address: string, port: number): SocketAddress => ({ address, port, family: 'IPv6' });

/** 2026-11-27T03:44:44.123456Z: far above 2^32 µs, so the timestamp's high word matters. */
const t0 = Date.UTC(2026, 10, 27, 3, 44, 44, 123) * 1000 + 456;

type RecordFields = Partial<StoredRecord> &
  Pick<StoredRecord, 'sessionId' | 'transport' | 'direction'>;

function recordMaker(): (fields: RecordFields, dtUs: number, bytes?: Uint8Array) => StoredRecord {
  let id = 0;
  return (fields, dtUs, bytes = new Uint8Array(0)) => {
    id += 1;
    return {
      id,
      atUs: t0 + dtUs,
      local: null,
      remote: null,
      params: null,
      charset: null,
      size: bytes.length,
      event: null,
      message: null,
      bytes,
      ...fields,
    };
  };
}

const text = (value: string): Uint8Array => new Uint8Array(Buffer.from(value, 'utf8'));

/** 100 KiB that is not periodic in 65000, so a misplaced segment would show. */
const big = new Uint8Array(100 * 1024).map((_, i) => (i * 7 + (i >> 9)) & 0xff);

const client = v4('127.0.0.1', 40000);
const echo = v4('127.0.0.1', 7);
const client6 = v6('::1', 40001);
const server6 = v6('::1', 8080);
// A dual-stack server socket reports IPv4 peers as IPv4-mapped IPv6 addresses.
const listener = v6('::ffff:127.0.0.1', 9000);
const peer = v6('::ffff:127.0.0.1', 51000);
const udpLocal = v4('127.0.0.1', 50000);
const udpRemote = v4('127.0.0.1', 9);

const at = {
  connecting: 0,
  connected: 150,
  hello: 1000,
  echo: 1200,
  big: 2000,
  closed: 3000,
  udpOut: 4000,
  udpIn: 4100,
  connected6: 5100,
  ping: 5200,
  pong: 5300,
  closed6: 5400,
  request: 6000,
  reply: 6100,
  closedServer: 6200,
};

function buildRecords(): StoredRecord[] {
  const rec = recordMaker();
  const tcp1 = { sessionId: 'tcp-1', transport: 'tcp' } as const;
  const tcp6 = { sessionId: 'tcp-6', transport: 'tcp' } as const;
  const srv = { sessionId: 'srv-1', transport: 'tcp' } as const;
  const udp = { sessionId: 'udp-1', transport: 'udp' } as const;
  const ends = { local: client, remote: echo };
  const ends6 = { local: client6, remote: server6 };
  const endsSrv = { local: listener, remote: peer };
  const udpEnds = { local: udpLocal, remote: udpRemote };
  return [
    rec(
      { ...tcp1, direction: 'event', event: 'connecting', remote: echo, message: 'Connecting' },
      at.connecting,
    ),
    rec(
      { ...tcp1, ...ends, direction: 'event', event: 'connected', message: 'Connected' },
      at.connected,
    ),
    rec({ ...tcp1, ...ends, direction: 'out' }, at.hello, text('hello\r\n')),
    rec({ ...tcp1, ...ends, direction: 'in' }, at.echo, text('hello\r\n')),
    rec({ ...tcp1, ...ends, direction: 'event', event: 'idle', message: 'Idle 1 s' }, at.echo + 1),
    rec({ ...tcp1, ...ends, direction: 'in' }, at.big, big),
    rec({ ...tcp1, ...ends, direction: 'event', event: 'closed', message: 'Closed' }, at.closed),
    rec({ ...udp, ...udpEnds, direction: 'out' }, at.udpOut, text('query')),
    rec({ ...udp, ...udpEnds, direction: 'in' }, at.udpIn, text('answer')),
    // Nothing can be synthesized without both ends: left out.
    rec({ ...udp, local: udpLocal, direction: 'out' }, at.udpIn + 1, text('lost')),
    rec({ ...tcp6, direction: 'event', event: 'connecting', remote: server6 }, at.connected6 - 50),
    rec({ ...tcp6, ...ends6, direction: 'event', event: 'connected' }, at.connected6),
    rec({ ...tcp6, ...ends6, direction: 'out' }, at.ping, text('ping')),
    rec({ ...tcp6, ...ends6, direction: 'in' }, at.pong, text('pong')),
    rec(
      { ...tcp6, ...ends6, direction: 'event', event: 'error', message: 'read ECONNRESET' },
      at.closed6 - 1,
    ),
    rec({ ...tcp6, ...ends6, direction: 'event', event: 'closed' }, at.closed6),
    // An accepted connection whose 'connected' event is gone: the handshake
    // comes before the first data, the peer (higher port) as the client; the
    // session's 'closed' has no addresses and closes all its connections.
    rec({ ...srv, ...endsSrv, direction: 'in' }, at.request, text('GET\r\n')),
    rec({ ...srv, ...endsSrv, direction: 'out' }, at.reply, text('OK\r\n')),
    rec({ ...srv, direction: 'event', event: 'closed', message: 'Server closed' }, at.closedServer),
  ];
}

// ---------------------------------------------------------------------------
// pcapng

interface Row {
  packet: PcapngPacket;
  ip: DecodedPacket;
}

interface Expected {
  atUs: number;
  dir: 'in' | 'out';
  src: string;
  srcPort: number;
  dst: string;
  dstPort: number;
  transport: 'tcp' | 'udp';
  flags: number;
  length: number;
}

const PA = TCP_PSH | TCP_ACK;
const FA = TCP_FIN | TCP_ACK;
const SA = TCP_SYN | TCP_ACK;

function expectedPackets(): Expected[] {
  const list: Expected[] = [];
  const tcp = (
    atUs: number,
    dir: 'in' | 'out',
    local: SocketAddress,
    remote: SocketAddress,
    flags: number,
    length = 0,
  ): void => {
    const [from, to] = dir === 'out' ? [local, remote] : [remote, local];
    const plain = (address: string): string => address.replace('::ffff:', '');
    list.push({
      atUs,
      dir,
      src: plain(from.address),
      srcPort: from.port,
      dst: plain(to.address),
      dstPort: to.port,
      transport: 'tcp',
      flags,
      length,
    });
  };
  const handshake = (
    atUs: number,
    local: SocketAddress,
    remote: SocketAddress,
    localIsClient: boolean,
  ) => {
    const [c, s] = localIsClient ? (['out', 'in'] as const) : (['in', 'out'] as const);
    tcp(atUs, c, local, remote, TCP_SYN);
    tcp(atUs, s, local, remote, SA);
    tcp(atUs, c, local, remote, TCP_ACK);
  };
  const teardown = (atUs: number, local: SocketAddress, remote: SocketAddress) => {
    tcp(atUs, 'out', local, remote, FA);
    tcp(atUs, 'in', local, remote, FA);
    tcp(atUs, 'out', local, remote, TCP_ACK);
  };
  handshake(t0 + at.connected, client, echo, true);
  tcp(t0 + at.hello, 'out', client, echo, PA, 7);
  tcp(t0 + at.echo, 'in', client, echo, PA, 7);
  tcp(t0 + at.big, 'in', client, echo, PA, 65000);
  tcp(t0 + at.big, 'in', client, echo, PA, 100 * 1024 - 65000);
  teardown(t0 + at.closed, client, echo);
  const udp = (atUs: number, dir: 'in' | 'out', length: number): void => {
    const [from, to] = dir === 'out' ? [udpLocal, udpRemote] : [udpRemote, udpLocal];
    list.push({
      atUs,
      dir,
      src: from.address,
      srcPort: from.port,
      dst: to.address,
      dstPort: to.port,
      transport: 'udp',
      flags: 0,
      length,
    });
  };
  udp(t0 + at.udpOut, 'out', 5);
  udp(t0 + at.udpIn, 'in', 6);
  handshake(t0 + at.connected6, client6, server6, true);
  tcp(t0 + at.ping, 'out', client6, server6, PA, 4);
  tcp(t0 + at.pong, 'in', client6, server6, PA, 4);
  teardown(t0 + at.closed6, client6, server6);
  handshake(t0 + at.request, listener, peer, false);
  tcp(t0 + at.request, 'in', listener, peer, PA, 5);
  tcp(t0 + at.reply, 'out', listener, peer, PA, 4);
  teardown(t0 + at.closedServer, listener, peer);
  return list;
}

const records = buildRecords();
const file = exportPcapng(records);
let parsed: PcapngFile;
let rows: Row[];

beforeAll(() => {
  parsed = readPcapng(file);
  rows = parsed.packets.map((packet) => ({ packet, ip: decodeIpPacket(packet.data) }));
});

describe('exportPcapng', () => {
  it('writes one section from sockscope and one raw-IP interface in microseconds', () => {
    expect(parsed.sections).toHaveLength(1);
    expect(parsed.sections[0]).toMatchObject({ major: 1, minor: 0, userAppl: 'sockscope' });
    expect(parsed.interfaces).toHaveLength(1);
    const [iface] = parsed.interfaces;
    expect(iface?.linktype).toBe(101);
    expect(iface?.tsresol).toBe(6);
    expect([0, 262144]).toContain(iface?.snaplen);
    expect(parsed.skipped).toEqual([]);
    expect(readPcapng(exportPcapng([], { appName: 'other' })).sections[0]?.userAppl).toBe('other');
  });

  it('writes each packet with its addresses, ports, direction, flags and exact timestamp', () => {
    const expected = expectedPackets();
    const actual = rows.map(({ packet, ip }) => ({
      atUs: packet.timestampUs,
      dir: packet.flags === 1 ? 'in' : packet.flags === 2 ? 'out' : `flags ${packet.flags}`,
      src: ip.src,
      srcPort: ip.srcPort,
      dst: ip.dst,
      dstPort: ip.dstPort,
      transport: ip.transport,
      flags: ip.flags,
      length: ip.payload.length,
    }));
    expect(actual).toEqual(expected);
    for (const { packet, ip } of rows) {
      expect(packet.interfaceId).toBe(0);
      expect(packet.capturedLength).toBe(packet.originalLength);
      expect(packet.data.length).toBeLessThanOrEqual(65535);
      expect(ip.ipVersion).toBe(ip.src.includes(':') ? 6 : 4);
    }
    // The mapped IPv6 addresses of the dual-stack session became IPv4.
    expect(
      rows.filter((row) => row.ip.srcPort === 9000).every((row) => row.ip.ipVersion === 4),
    ).toBe(true);
  });

  it('marks only the synthesized packets with a comment', () => {
    for (const { packet, ip } of rows) {
      const synthesized = ip.transport === 'tcp' && ip.payload.length === 0;
      expect(packet.comments.length > 0, `packet at ${packet.timestampUs}`).toBe(synthesized);
    }
  });

  it('computes valid IPv4 header checksums and TCP/UDP checksums', () => {
    expect(rows.length).toBeGreaterThan(0);
    for (const { packet } of rows) {
      expect(ipv4HeaderChecksumValid(packet.data)).toBe(true);
      expect(transportChecksumValid(packet.data)).toBe(true);
    }
    // The checker itself catches a flipped payload bit.
    const damaged = Buffer.from(rows[3]?.packet.data ?? Buffer.alloc(0));
    damaged[damaged.length - 1] = (damaged[damaged.length - 1] ?? 0) ^ 1;
    expect(transportChecksumValid(damaged)).toBe(false);
    const damagedHeader = Buffer.from(rows[3]?.packet.data ?? Buffer.alloc(0));
    damagedHeader[8] = 1; // TTL
    expect(ipv4HeaderChecksumValid(damagedHeader)).toBe(false);
  });

  it('keeps sequence and acknowledgement numbers continuous in each connection', () => {
    const next = new Map<string, number>();
    const endpoint = (address: string, port: number): string => `${address}|${port}`;
    let checked = 0;
    for (const { ip } of rows) {
      if (ip.transport !== 'tcp') continue;
      const from = endpoint(ip.src, ip.srcPort);
      const to = endpoint(ip.dst, ip.dstPort);
      if ((ip.flags & TCP_SYN) !== 0) {
        expect(next.has(from), `second SYN from ${from}`).toBe(false);
        expect(ip.tcpOptions.length).toBeGreaterThan(0);
      } else {
        expect(ip.seq, `seq from ${from}`).toBe(next.get(from));
      }
      if ((ip.flags & TCP_ACK) !== 0) expect(ip.ack, `ack from ${from}`).toBe(next.get(to));
      else expect(ip.flags).toBe(TCP_SYN);
      const consumed = ip.payload.length + ((ip.flags & (TCP_SYN | TCP_FIN)) !== 0 ? 1 : 0);
      next.set(from, (ip.seq + consumed) >>> 0);
      checked += 1;
    }
    expect(checked).toBe(rows.length - 2);
  });

  it('splits the 100 KiB read into segments that reassemble to the original', () => {
    const fromEcho = rows.filter(
      (row) => row.ip.transport === 'tcp' && row.ip.srcPort === 7 && row.packet.flags === 1,
    );
    const stream = Buffer.concat(fromEcho.map((row) => row.ip.payload));
    expect(stream.equals(Buffer.concat([Buffer.from('hello\r\n'), big]))).toBe(true);
    const toEcho = rows.filter((row) => row.ip.transport === 'tcp' && row.ip.dstPort === 7);
    expect(Buffer.concat(toEcho.map((row) => row.ip.payload)).toString()).toBe('hello\r\n');
    const udpPayloads = rows
      .filter((row) => row.ip.transport === 'udp')
      .map((row) => row.ip.payload);
    expect(udpPayloads.map((payload) => payload.toString())).toEqual(['query', 'answer']);
  });

  it('exports an empty log as a valid file with no packets', () => {
    const empty = readPcapng(exportPcapng([]));
    expect(empty.packets).toEqual([]);
    expect(empty.interfaces).toHaveLength(1);
  });
});

// ---------------------------------------------------------------------------
// The same file through tshark, when it is installed

const tsharkProbe = spawnSync('tshark', ['-v'], { encoding: 'utf8' });
const tsharkAvailable = tsharkProbe.status === 0;
if (!tsharkAvailable) {
  console.log(
    `tshark not available (${tsharkProbe.error?.message ?? `exit ${tsharkProbe.status}`}): ` +
      'skipping the tshark checks; the in-test pcapng reader checks the file alone',
  );
}

describe.skipIf(!tsharkAvailable)('exportPcapng read by tshark', () => {
  let dir = '';
  let path = '';
  const checksumPrefs = [
    '-o',
    'ip.check_checksum:TRUE',
    '-o',
    'tcp.check_checksum:TRUE',
    '-o',
    'udp.check_checksum:TRUE',
  ];

  function tshark(args: string[]): string {
    const result = spawnSync('tshark', ['-r', path, ...args], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (result.status !== 0) {
      throw new Error(`tshark ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
    }
    return result.stdout;
  }

  function fields(names: string[], extra: string[] = []): string[][] {
    const args = [...extra, '-T', 'fields', ...names.flatMap((name) => ['-e', name])];
    return tshark(args)
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => line.split('\t'));
  }

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sockscope-pcapng-'));
    path = join(dir, 'log.pcapng');
    writeFileSync(path, file);
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads every packet with the same times, addresses, ports, lengths and directions', () => {
    const lines = fields([
      'frame.time_epoch',
      'ip.src',
      'ipv6.src',
      'tcp.srcport',
      'tcp.dstport',
      'udp.srcport',
      'tcp.len',
      'frame.packet_flags_direction',
    ]);
    expect(lines).toHaveLength(rows.length);
    lines.forEach((line, index) => {
      const row = rows[index];
      if (row === undefined) throw new Error(`no row ${index}`);
      const [epoch = '', ipSrc, ipv6Src, tcpSrc, tcpDst, udpSrc, tcpLen, direction] = line;
      const [seconds = '0', fraction = ''] = epoch.split('.');
      const us = BigInt(seconds) * 1_000_000n + BigInt(fraction.padEnd(6, '0').slice(0, 6));
      expect(Number(us), `frame ${index + 1} time`).toBe(row.packet.timestampUs);
      expect(row.ip.ipVersion === 4 ? ipSrc : ipv6Src).toBe(row.ip.src);
      if (row.ip.transport === 'tcp') {
        expect([tcpSrc, tcpDst, tcpLen]).toEqual([
          String(row.ip.srcPort),
          String(row.ip.dstPort),
          String(row.ip.payload.length),
        ]);
      } else {
        expect(udpSrc).toBe(String(row.ip.srcPort));
      }
      expect(Number(direction)).toBe(row.packet.flags);
    });
  });

  it('finds no malformed packet, bad checksum, or TCP analysis warning', () => {
    const filter = [
      'ip.checksum.status == 0',
      'tcp.checksum.status == 0',
      'udp.checksum.status == 0',
      '_ws.malformed',
      'tcp.analysis.flags',
      '_ws.expert.severity >= warning',
    ].join(' || ');
    expect(tshark([...checksumPrefs, '-Y', filter])).toBe('');
    // ...and it did check them: every checksum is "Good" (1).
    const statuses = fields(
      ['ip.checksum.status', 'tcp.checksum.status', 'udp.checksum.status'],
      checksumPrefs,
    );
    expect(statuses).toHaveLength(rows.length);
    for (const line of statuses)
      expect(line.filter((value) => value !== '')).toSatisfy(
        (values: string[]) => values.length >= 1 && values.every((value) => value === '1'),
      );
  });

  it('sees three complete TCP conversations', () => {
    const output = tshark(['-q', '-z', 'conv,tcp']);
    const conversations = output
      .split('\n')
      .map((line) => /^(\S+)\s+<->\s+(\S+)\s+\d+\s+\S+ \S+\s+\d+\s+\S+ \S+\s+(\d+)\s/.exec(line))
      .filter((match) => match !== null)
      .map((match) => [match[1], match[2], Number(match[3])].join(' '))
      .sort();
    expect(conversations).toEqual(
      [
        '127.0.0.1:40000 127.0.0.1:7 10',
        '::1:40001 ::1:8080 8',
        '127.0.0.1:51000 127.0.0.1:9000 8',
      ].sort(),
    );
    // SYN, SYN-ACK, ACK, data and FIN seen in every stream (31).
    const completeness = fields(['tcp.stream', 'tcp.completeness'], ['-2', '-Y', 'tcp']);
    const byStream = new Map(completeness.map(([stream, value]) => [stream, value]));
    expect([...byStream.entries()].sort()).toEqual([
      ['0', '31'],
      ['1', '31'],
      ['2', '31'],
    ]);
  });

  it('follows the first TCP stream to the exact bytes each side sent', () => {
    const output = tshark(['-q', '-z', 'follow,tcp,raw,0']);
    const lines = output.split('\n');
    expect(lines).toContain('Node 0: 127.0.0.1:40000');
    expect(lines).toContain('Node 1: 127.0.0.1:7');
    const body = lines.slice(lines.findIndex((line) => line.startsWith('Node 1:')) + 1);
    let sent = '';
    let received = '';
    for (const line of body) {
      if (line.startsWith('=')) break;
      if (line.startsWith('\t')) received += line.trim();
      else sent += line.trim();
    }
    expect(Buffer.from(sent, 'hex').toString()).toBe('hello\r\n');
    expect(
      Buffer.from(received, 'hex').equals(Buffer.concat([Buffer.from('hello\r\n'), big])),
    ).toBe(true);
  });
});

// ---------------------------------------------------------------------------
// CSV

const gbk = new TextDecoder('gbk');

function csvRecords(): StoredRecord[] {
  const rec = recordMaker();
  const ends = { local: client, remote: echo };
  return [
    rec(
      {
        sessionId: 'tcp-1',
        transport: 'tcp',
        direction: 'event',
        event: 'error',
        remote: echo,
        message: 'connect ECONNREFUSED 127.0.0.1:7',
      },
      0,
    ),
    // "你好,世界" in GBK
    rec(
      { sessionId: 'tcp-1', transport: 'tcp', direction: 'in', ...ends },
      1,
      new Uint8Array(Buffer.from('c4e3bac32ccac0bde7', 'hex')),
    ),
    rec(
      { sessionId: 'tcp-1', transport: 'tcp', direction: 'out', ...ends },
      2,
      new Uint8Array(Buffer.from('say "hi", ok\r\nbye', 'latin1')),
    ),
    rec(
      {
        sessionId: 'udp-6',
        transport: 'udp',
        direction: 'out',
        local: v6('::1', 5000),
        remote: server6,
      },
      3,
      new Uint8Array(Buffer.from('=1+1', 'latin1')),
    ),
  ];
}

/** A strict RFC 4180 parser: CRLF rows, quoted fields with doubled quotes. */
function parseCsv(content: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < content.length) {
    const char = content[i];
    if (quoted) {
      if (char === '"' && content[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (char === '"') {
        quoted = false;
        i += 1;
      } else {
        field += char;
        i += 1;
      }
    } else if (char === '"' && field === '') {
      quoted = true;
      i += 1;
    } else if (char === ',') {
      row.push(field);
      field = '';
      i += 1;
    } else if (char === '\r' && content[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 2;
    } else {
      if (char === '\n' || char === '\r' || char === '"')
        throw new Error(`bare ${JSON.stringify(char)} at ${i}`);
      field += char;
      i += 1;
    }
  }
  if (field !== '' || row.length > 0) throw new Error('last row has no CRLF');
  return rows;
}

describe('exportCsv', () => {
  const csv = exportCsv(csvRecords(), (bytes) => gbk.decode(bytes));
  const content = csv.subarray(3).toString('utf8');

  it('starts with a UTF-8 BOM and the exact header', () => {
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(content.split('\r\n')[0]).toBe(
      'id,time,session,transport,direction,local,remote,size,event,message,text,hex',
    );
    expect(csvHeader.join(',')).toBe(content.split('\r\n')[0]);
  });

  it('writes one row per record with times, addresses, decoded text and hex', () => {
    const table = parseCsv(content);
    expect(table).toHaveLength(5);
    for (const row of table) expect(row).toHaveLength(12);
    expect(table[1]).toEqual([
      '1',
      '2026-11-27T03:44:44.123456Z',
      'tcp-1',
      'tcp',
      'event',
      '',
      '127.0.0.1:7',
      '0',
      'error',
      'connect ECONNREFUSED 127.0.0.1:7',
      '',
      '',
    ]);
    expect(table[2]).toEqual([
      '2',
      '2026-11-27T03:44:44.123457Z',
      'tcp-1',
      'tcp',
      'in',
      '127.0.0.1:40000',
      '127.0.0.1:7',
      '9',
      '',
      '',
      '你好,世界',
      'c4e3bac32ccac0bde7',
    ]);
    expect(table[3]?.[10]).toBe('say "hi", ok\r\nbye');
    expect(table[3]?.[11]).toBe(Buffer.from('say "hi", ok\r\nbye').toString('hex'));
    expect(table[4]?.slice(5, 7)).toEqual(['[::1]:5000', '[::1]:8080']);
  });

  it('quotes per RFC 4180 and defuses spreadsheet formulas', () => {
    expect(content).toContain(',"你好,世界",c4e3bac32ccac0bde7\r\n');
    expect(content).toContain(',"say ""hi"", ok\r\nbye",');
    // Text starting with = would run as a formula in Excel: it gets an apostrophe.
    expect(parseCsv(content)[4]?.[10]).toBe("'=1+1");
    expect(parseCsv(content)[4]?.[11]).toBe('3d312b31');
  });

  it('writes only the BOM and header for an empty log', () => {
    expect(exportCsv([], () => '').toString('utf8')).toBe(`\ufeff${csvHeader.join(',')}\r\n`);
  });
});

// ---------------------------------------------------------------------------
// JSON Lines

describe('exportJsonLines', () => {
  it('writes one JSON object per record with the meta, time and base64 bytes', () => {
    const input = buildRecords();
    // Whatever else the engine keeps beside a record does not leak out.
    const withExtra = input.map((record) => Object.assign({ internal: 'secret' }, record));
    const output = exportJsonLines(withExtra).toString('utf8');
    expect(output.endsWith('\n')).toBe(true);
    const lines = output.slice(0, -1).split('\n');
    expect(lines).toHaveLength(input.length);
    lines.forEach((line, index) => {
      const record = input[index];
      if (record === undefined) throw new Error(`no record ${index}`);
      const object = JSON.parse(line) as Record<string, unknown>;
      const { bytes, ...meta } = record;
      expect(object).toEqual({ ...meta, time: isoMicros(record.atUs), base64: expect.any(String) });
      expect(Buffer.from(object.base64 as string, 'base64').equals(Buffer.from(bytes))).toBe(true);
    });
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ time: '2026-11-27T03:44:44.123456Z' });
  });

  it('writes nothing for an empty log', () => {
    expect(exportJsonLines([]).length).toBe(0);
  });
});

// ---------------------------------------------------------------------------
// Names

describe('export file names and types', () => {
  it('names the file after the export time in UTC', () => {
    expect(exportFileName('pcapng', t0)).toBe('sockscope-20261127-034444.pcapng');
    expect(exportFileName('csv', t0)).toBe('sockscope-20261127-034444.csv');
    expect(exportFileName('jsonl', t0)).toBe('sockscope-20261127-034444.jsonl');
  });

  it('gives each format a MIME type', () => {
    expect(exportMimeType('pcapng')).toBe('application/x-pcapng');
    expect(exportMimeType('csv')).toMatch(/^text\/csv/);
    expect(exportMimeType('jsonl')).toMatch(/^application\/jsonl/);
  });

  it('formats microsecond times exactly', () => {
    expect(isoMicros(t0)).toBe('2026-11-27T03:44:44.123456Z');
    expect(isoMicros(t0 + 544)).toBe('2026-11-27T03:44:44.124000Z');
    expect(isoMicros(0)).toBe('1970-01-01T00:00:00.000000Z');
  });
});
