// The packet log's export: pcapng for Wireshark/tshark, CSV for spreadsheets and
// JSON Lines for scripts, all built from the engine's stored records.
//
// The log holds what our sockets read and wrote, not frames off a wire, so the
// pcapng export synthesizes the IP and TCP/UDP headers around each payload
// (LINKTYPE_RAW: no link layer). For TCP it keeps sequence numbers per
// connection and adds a handshake and a teardown, so Wireshark follows and
// reassembles the stream as if it had been captured; those synthesized
// packets carry a comment saying so.

import { constants as bufferConstants } from 'node:buffer';
import type { ExportFormat, SocketAddress } from '@shared/contract/log';
import { plainAsciiPrefix } from '@shared/codecs/display';
import { formatAddress } from '@shared/endpoint';
import { ErrorCode, SockscopeError } from '@shared/errors';
import { isIPv4, parseIPv6 } from '@shared/ip';
import type { StoredRecord } from '../log/stored-record';
import { recordMeta } from '../log/stored-record';

// ---------------------------------------------------------------------------
// Shared helpers

/**
 * Joins an export's pieces into one file (small logs and tests). A piece is valid
 * only until the next is asked for (the exporters reuse their buffers), so each is copied.
 */
function joinPieces(pieces: Iterable<Buffer>): Buffer {
  const parts: Buffer[] = [];
  for (const piece of pieces) parts.push(Buffer.from(piece));
  let total = 0;
  for (const part of parts) total += part.length;
  return concatOnce(parts, total);
}

/** Joins the parts once, refusing sizes a Buffer cannot hold. */
function concatOnce(parts: Buffer[], totalLength: number): Buffer {
  if (totalLength > bufferConstants.MAX_LENGTH) {
    throw new SockscopeError(
      ErrorCode.exportTooLarge,
      `The export would be ${totalLength} bytes, more than one file can be built in memory; export one session at a time`,
      { size: totalLength, limit: bufferConstants.MAX_LENGTH },
    );
  }
  return Buffer.concat(parts, totalLength);
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** Unix microseconds as ISO 8601 UTC with six fraction digits: `2026-11-27T03:44:44.123456Z`. */
export function isoMicros(atUs: number): string {
  const whole = Math.floor(atUs);
  const ms = Math.floor(whole / 1000);
  const us = whole - ms * 1000;
  const iso = new Date(ms).toISOString(); // ...SS.mmmZ
  return `${iso.slice(0, -1)}${String(us).padStart(3, '0')}Z`;
}

// ---------------------------------------------------------------------------
// File names and MIME types

const extensions: Record<ExportFormat, string> = { pcapng: 'pcapng', csv: 'csv', jsonl: 'jsonl' };

const mimeTypes: Record<ExportFormat, string> = {
  pcapng: 'application/x-pcapng',
  csv: 'text/csv; charset=utf-8',
  jsonl: 'application/jsonl; charset=utf-8',
};

/** `sockscope-20261127-034444.pcapng`: the export's time in UTC, to the second. */
export function exportFileName(format: ExportFormat, atUs: number): string {
  const iso = new Date(Math.floor(atUs / 1000)).toISOString(); // 2026-11-27T03:44:44.123Z
  const stamp = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`;
  return `sockscope-${stamp}.${extensions[format]}`;
}

export function exportMimeType(format: ExportFormat): string {
  return mimeTypes[format];
}

// ---------------------------------------------------------------------------
// CSV

export const csvHeader = [
  'id',
  'time',
  'session',
  'transport',
  'direction',
  'local',
  'remote',
  'size',
  'event',
  'message',
  'text',
  'hex',
] as const;

/** RFC 4180: quote a field holding a comma, quote, CR or LF, doubling its quotes. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * Text that came off the network must not run as a spreadsheet formula
 * (CSV injection): a cell starting with = + - @ or a tab/CR gets a leading
 * apostrophe, which Excel and LibreOffice show as plain text. The `hex`
 * column always carries the exact bytes.
 */
function csvText(value: string): string {
  return csvField(/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);
}

/** Long text is quoted and written this many characters at a time (see {@link encodeStepBytes}). */
const textStepChars = 16 * 1024;

const quoteByte = 0x22;
const commaByte = 0x2c;
const formulaStarts = new Set([0x3d, 0x2b, 0x2d, 0x40, 0x09, 0x0d]);

/**
 * {@link csvText} of a payload's text, written without a copy of it whole: the printable
 * ASCII prefix (all of most payloads) goes from the bytes straight into the piece, and
 * only the rest is decoded, then written in steps. A full log is thousands of such
 * payloads; strings for each would be garbage the collector must keep up with.
 */
function writeCsvText(
  out: PieceWriter,
  record: StoredRecord,
  decode: (bytes: Uint8Array, record: StoredRecord) => string,
): void {
  const bytes = asBuffer(record.bytes);
  const plain = plainAsciiPrefix(bytes);
  const rest = plain === bytes.length ? '' : decode(bytes.subarray(plain), record);
  const first = plain > 0 ? bytes[0]! : rest.charCodeAt(0);
  const formula = formulaStarts.has(first);
  const prefix = bytes.subarray(0, plain);
  const quoted =
    prefix.indexOf(quoteByte) !== -1 || prefix.indexOf(commaByte) !== -1 || /[",\r\n]/.test(rest);
  if (quoted) out.text(formula ? `"'` : '"');
  else if (formula) out.text("'");
  out.bytes(prefix, quoted);
  for (let at = 0; at < rest.length; at += textStepChars) {
    const step = rest.slice(at, at + textStepChars);
    out.text(quoted ? step.replaceAll('"', '""') : step);
  }
  if (quoted) out.text('"');
}

/** A piece is handed out once it holds this many bytes (at a record's end). */
const pieceBytes = 1 << 18;
/**
 * Payload bytes are turned into hex or base64 this many at a time: the strings
 * stay small enough for the young generation, which the garbage collector frees
 * cheaply, instead of piling up as large objects until a full collection.
 */
const encodeStepBytes = 12 * 1024;

/**
 * Text written straight into one reused buffer: a streamed export allocates almost
 * nothing per piece. A piece it hands out is valid until the next write.
 */
const hexDigits = Buffer.from('0123456789abcdef', 'latin1');

class PieceWriter {
  private scratch = Buffer.allocUnsafe(pieceBytes * 2);
  private used = 0;

  get length(): number {
    return this.used;
  }

  text(value: string): void {
    // UTF-8 takes at most three bytes per UTF-16 unit.
    this.reserve(value.length * 3);
    this.used += this.scratch.write(value, this.used, 'utf8');
  }

  /** ASCII bytes as they are; `doubleQuotes` writes each `"` twice (a quoted CSV field). */
  bytes(ascii: Buffer, doubleQuotes: boolean): void {
    this.reserve(ascii.length * 2);
    let from = 0;
    while (from < ascii.length) {
      const quote = doubleQuotes ? ascii.indexOf(quoteByte, from) : -1;
      const end = quote === -1 ? ascii.length : quote + 1;
      this.used += ascii.copy(this.scratch, this.used, from, end);
      if (quote !== -1) this.scratch[this.used++] = quoteByte;
      from = end;
    }
  }

  /** Bytes as lowercase hex, written from a table: no string per payload. */
  hex(bytes: Uint8Array): void {
    this.reserve(bytes.length * 2);
    const scratch = this.scratch;
    let at = this.used;
    for (let index = 0; index < bytes.length; index++) {
      const byte = bytes[index]!;
      scratch[at] = hexDigits[byte >> 4]!;
      scratch[at + 1] = hexDigits[byte & 15]!;
      at += 2;
    }
    this.used = at;
  }

  /** Bytes as hex or base64, a step at a time (base64 steps are whole 3-byte groups). */
  encoded(bytes: Uint8Array, encoding: 'hex' | 'base64'): void {
    const buffer = asBuffer(bytes);
    for (let at = 0; at < buffer.length; at += encodeStepBytes)
      this.text(buffer.toString(encoding, at, Math.min(buffer.length, at + encodeStepBytes)));
  }

  take(): Buffer {
    const piece = this.scratch.subarray(0, this.used);
    this.used = 0;
    return piece;
  }

  private reserve(bytes: number): void {
    if (this.used + bytes <= this.scratch.length) return;
    const larger = Buffer.allocUnsafe(Math.max(this.scratch.length * 2, this.used + bytes));
    this.scratch.copy(larger, 0, 0, this.used);
    this.scratch = larger;
  }
}

/**
 * One row per record, CRLF line ends (RFC 4180). The file starts with a
 * UTF-8 byte order mark: without it Excel reads CSV in the system's ANSI code
 * page and shows Chinese (or any non-ASCII) text as mojibake.
 *
 * `decode` renders a payload as the log displays it (the caller picks the
 * charset); `hex` is the bytes, lowercase and contiguous.
 */
export function* csvPieces(
  records: Iterable<StoredRecord>,
  decode: (bytes: Uint8Array, record: StoredRecord) => string,
): Generator<Buffer> {
  const out = new PieceWriter();
  yield Buffer.from([0xef, 0xbb, 0xbf]);
  out.text(`${csvHeader.join(',')}\r\n`);
  for (const record of records) {
    const hasBytes = record.direction !== 'event' && record.bytes.length > 0;
    const fields = [
      String(record.id),
      isoMicros(record.atUs),
      csvField(record.sessionId),
      record.transport,
      record.direction,
      csvField(formatAddress(record.local)),
      csvField(formatAddress(record.remote)),
      String(record.size),
      record.event ?? '',
      csvText(record.message ?? ''),
    ];
    out.text(`${fields.join(',')},`);
    if (hasBytes) writeCsvText(out, record, decode);
    out.text(',');
    // Hex never needs quoting: written straight from the bytes.
    if (hasBytes) out.hex(record.bytes);
    out.text('\r\n');
    if (out.length >= pieceBytes) yield out.take();
  }
  yield out.take();
}

/** The whole CSV file at once (small logs and tests; the engine streams {@link csvPieces}). */
export function exportCsv(
  records: Iterable<StoredRecord>,
  decode: (bytes: Uint8Array, record: StoredRecord) => string,
): Buffer {
  return joinPieces(csvPieces(records, decode));
}

// ---------------------------------------------------------------------------
// JSON Lines

/** One JSON object per line: every meta field, `time` (ISO, µs) and the bytes as `base64`. */
export function* jsonLinesPieces(records: Iterable<StoredRecord>): Generator<Buffer> {
  const out = new PieceWriter();
  for (const record of records) {
    const meta = JSON.stringify({ ...recordMeta(record), time: isoMicros(record.atUs) });
    // `base64` last, written from the bytes (base64 needs no JSON escaping).
    out.text(`${meta.slice(0, -1)},"base64":"`);
    out.encoded(record.bytes, 'base64');
    out.text('"}\n');
    if (out.length >= pieceBytes) yield out.take();
  }
  yield out.take();
}

export function exportJsonLines(records: Iterable<StoredRecord>): Buffer {
  return joinPieces(jsonLinesPieces(records));
}

// ---------------------------------------------------------------------------
// pcapng (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcapng-02.html)
// Written little-endian; readers detect the byte order from the SHB magic.

const blockShb = 0x0a0d0d0a;
const blockIdb = 0x00000001;
const blockEpb = 0x00000006;
const byteOrderMagic = 0x1a2b3c4d;
const optEndOfOpt = 0;
const optComment = 1;
const shbUserAppl = 4;
const ifName = 2;
const ifTsresol = 9;
const epbFlags = 2;
/** LINKTYPE_RAW: each packet starts with an IPv4 or IPv6 header. */
export const linktypeRaw = 101;
export const pcapSnaplen = 262144;
/** epb_flags direction bits. */
export const epbInbound = 1;
export const epbOutbound = 2;

const ipProtoTcp = 6;
const ipProtoUdp = 17;
const tcpFin = 0x01;
const tcpSyn = 0x02;
const tcpRst = 0x04;
const tcpPsh = 0x08;
const tcpAck = 0x10;
/** Payload bytes per synthesized TCP segment: a 64 KiB read does not fit one IP packet. */
export const tcpSegmentBytes = 65000;
/** Window scale both synthesized SYNs announce, so large reads never look like a full window. */
const windowScale = 7;
/** SYN options: MSS 65495 (loopback's), NOP, window scale. */
const synOptions = Buffer.from([2, 4, 0xff, 0xd7, 1, 3, 3, windowScale]);
const synthesizedComment = 'sockscope: synthesized, not captured';

function pad4(length: number): number {
  return (length + 3) & ~3;
}

/** Options block: each option is code, length, value padded to 32 bits; ends with opt_endofopt. */
function encodeOptions(options: Array<[code: number, value: Buffer]>): Buffer {
  let length = 4;
  for (const [, value] of options) length += 4 + pad4(value.length);
  const out = Buffer.alloc(length);
  let offset = 0;
  for (const [code, value] of options) {
    out.writeUInt16LE(code, offset);
    out.writeUInt16LE(value.length, offset + 2);
    value.copy(out, offset + 4);
    offset += 4 + pad4(value.length);
  }
  out.writeUInt16LE(optEndOfOpt, offset);
  return out;
}

/** A block: type, total length, body, total length again. `body` is already 32-bit aligned. */
function encodeBlock(type: number, body: Buffer): Buffer {
  const out = Buffer.alloc(12 + body.length);
  out.writeUInt32LE(type, 0);
  out.writeUInt32LE(out.length, 4);
  body.copy(out, 8);
  out.writeUInt32LE(out.length, out.length - 4);
  return out;
}

function sectionHeader(appName: string): Buffer {
  const fixed = Buffer.alloc(16);
  fixed.writeUInt32LE(byteOrderMagic, 0);
  fixed.writeUInt16LE(1, 4); // major
  fixed.writeUInt16LE(0, 6); // minor
  fixed.writeBigInt64LE(-1n, 8); // section length: not specified
  const options = encodeOptions([[shbUserAppl, Buffer.from(appName, 'utf8')]]);
  return encodeBlock(blockShb, Buffer.concat([fixed, options]));
}

function interfaceDescription(): Buffer {
  const fixed = Buffer.alloc(8);
  fixed.writeUInt16LE(linktypeRaw, 0);
  fixed.writeUInt16LE(0, 2); // reserved
  fixed.writeUInt32LE(pcapSnaplen, 4);
  const options = encodeOptions([
    [ifName, Buffer.from('sockscope', 'utf8')],
    [ifTsresol, Buffer.from([6])], // 10^-6 s: timestamps are microseconds
  ]);
  return encodeBlock(blockIdb, Buffer.concat([fixed, options]));
}

/** Where a synthesized packet goes: both ends in the same IP version. */
interface PacketPath {
  v6: boolean;
  src: Buffer;
  dst: Buffer;
  srcPort: number;
  dstPort: number;
}

function ipv4Bytes(text: string): Buffer | null {
  if (!isIPv4(text)) return null;
  return Buffer.from(text.split('.').map(Number));
}

function ipv6Bytes(text: string): Buffer | null {
  const groups = parseIPv6(text);
  if (groups === null) return null;
  const out = Buffer.alloc(16);
  groups.forEach((group, index) => out.writeUInt16BE(group, index * 2));
  return out;
}

const v4MappedPrefix = Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]);

/** The address as IPv4 bytes when it is one (or an IPv4-mapped IPv6 address), else null. */
function asIPv4(address: SocketAddress): Buffer | null {
  const v4 = ipv4Bytes(address.address);
  if (v4 !== null) return v4;
  const v6 = ipv6Bytes(address.address);
  if (v6 !== null && v6.subarray(0, 12).equals(v4MappedPrefix)) return v6.subarray(12);
  return null;
}

function asIPv6(address: SocketAddress): Buffer | null {
  const v4 = ipv4Bytes(address.address);
  return v4 !== null ? Buffer.concat([v4MappedPrefix, v4]) : ipv6Bytes(address.address);
}

const anyIPv4 = Buffer.alloc(4);

function isUnspecified(address: SocketAddress): boolean {
  return address.address === '::';
}

/**
 * The path from `from` to `to`. IPv4 when both ends are IPv4 — including the
 * IPv4-mapped addresses (`::ffff:127.0.0.1`) a dual-stack socket reports,
 * since such traffic is IPv4 on the wire — else IPv6. Null when an address is
 * missing or not an IP address.
 */
function pathBetween(from: SocketAddress | null, to: SocketAddress | null): PacketPath | null {
  if (from === null || to === null) return null;
  // A dual-stack socket bound to `::` that talks IPv4 sent from 0.0.0.0 as far as we know.
  const src4 = asIPv4(from) ?? (isUnspecified(from) && asIPv4(to) !== null ? anyIPv4 : null);
  const dst4 = asIPv4(to) ?? (isUnspecified(to) && asIPv4(from) !== null ? anyIPv4 : null);
  if (src4 !== null && dst4 !== null) {
    return { v6: false, src: src4, dst: dst4, srcPort: from.port, dstPort: to.port };
  }
  const src6 = asIPv6(from);
  const dst6 = asIPv6(to);
  if (src6 === null || dst6 === null) return null;
  return { v6: true, src: src6, dst: dst6, srcPort: from.port, dstPort: to.port };
}

function reversePath(path: PacketPath): PacketPath {
  return {
    v6: path.v6,
    src: path.dst,
    dst: path.src,
    srcPort: path.dstPort,
    dstPort: path.srcPort,
  };
}

/** Adds 16-bit big-endian words (an odd last byte is padded with zero) to `sum`. */
function sumWords(bytes: Uint8Array, start: number, end: number, sum: number): number {
  let total = sum;
  let i = start;
  for (; i + 1 < end; i += 2) total += (bytes[i]! << 8) | bytes[i + 1]!;
  if (i < end) total += bytes[i]! << 8;
  return total;
}

/** The Internet checksum (RFC 1071) of an accumulated sum. */
function finishChecksum(sum: number): number {
  let total = sum;
  while (total > 0xffff) total = (total & 0xffff) + Math.floor(total / 0x10000);
  return ~total & 0xffff;
}

/** A TCP segment or UDP datagram to wrap in an IP header. */
interface Segment {
  protocol: typeof ipProtoTcp | typeof ipProtoUdp;
  path: PacketPath;
  payload: Uint8Array;
  // TCP only
  seq?: number;
  ack?: number;
  flags?: number;
  window?: number;
  options?: Buffer;
}

function transportHeaderLength(segment: Segment): number {
  return segment.protocol === ipProtoTcp ? 20 + (segment.options?.length ?? 0) : 8;
}

function packetLength(segment: Segment): number {
  return (segment.path.v6 ? 40 : 20) + transportHeaderLength(segment) + segment.payload.length;
}

/** Writes the IP packet for `segment` into `out` at `offset`, checksums included. */
function writePacket(out: Buffer, offset: number, segment: Segment, ipId: number): void {
  const { path, protocol, payload } = segment;
  const ipLength = path.v6 ? 40 : 20;
  const l4Length = transportHeaderLength(segment) + payload.length;
  if (path.v6) {
    out.writeUInt32BE(0x60000000, offset); // version 6, no traffic class or flow label
    out.writeUInt16BE(l4Length, offset + 4);
    out.writeUInt8(protocol, offset + 6);
    out.writeUInt8(64, offset + 7); // hop limit
    path.src.copy(out, offset + 8);
    path.dst.copy(out, offset + 24);
  } else {
    out.writeUInt8(0x45, offset); // version 4, 5 words
    out.writeUInt8(0, offset + 1);
    out.writeUInt16BE(ipLength + l4Length, offset + 2);
    out.writeUInt16BE(ipId & 0xffff, offset + 4);
    out.writeUInt16BE(0x4000, offset + 6); // don't fragment
    out.writeUInt8(64, offset + 8); // TTL
    out.writeUInt8(protocol, offset + 9);
    out.writeUInt16BE(0, offset + 10);
    path.src.copy(out, offset + 12);
    path.dst.copy(out, offset + 16);
    out.writeUInt16BE(finishChecksum(sumWords(out, offset, offset + 20, 0)), offset + 10);
  }
  const l4 = offset + ipLength;
  out.writeUInt16BE(path.srcPort, l4);
  out.writeUInt16BE(path.dstPort, l4 + 2);
  let checksumAt: number;
  if (protocol === ipProtoTcp) {
    const options = segment.options ?? Buffer.alloc(0);
    out.writeUInt32BE((segment.seq ?? 0) >>> 0, l4 + 4);
    out.writeUInt32BE((segment.ack ?? 0) >>> 0, l4 + 8);
    out.writeUInt8(((20 + options.length) / 4) << 4, l4 + 12);
    out.writeUInt8(segment.flags ?? 0, l4 + 13);
    out.writeUInt16BE(segment.window ?? 0xffff, l4 + 14);
    out.writeUInt16BE(0, l4 + 16); // checksum, below
    out.writeUInt16BE(0, l4 + 18); // urgent pointer
    options.copy(out, l4 + 20);
    checksumAt = l4 + 16;
  } else {
    out.writeUInt16BE(l4Length, l4 + 4);
    out.writeUInt16BE(0, l4 + 6);
    checksumAt = l4 + 6;
  }
  out.set(payload, l4 + transportHeaderLength(segment));
  // Pseudo-header: addresses, protocol and transport length (the IPv6 form sums the same).
  let sum = sumWords(path.src, 0, path.src.length, 0);
  sum = sumWords(path.dst, 0, path.dst.length, sum);
  sum += protocol + l4Length;
  sum = sumWords(out, l4, l4 + l4Length, sum);
  let checksum = finishChecksum(sum);
  if (protocol === ipProtoUdp && checksum === 0) checksum = 0xffff; // 0 means "no checksum"
  out.writeUInt16BE(checksum, checksumAt);
}

/** The options of an Enhanced Packet Block: its direction and, for synthesized packets, a comment. */
function packetOptions(direction: number, comment: string | undefined): Buffer {
  const options: Array<[number, Buffer]> = [];
  if (comment !== undefined) options.push([optComment, Buffer.from(comment, 'utf8')]);
  const flags = Buffer.alloc(4);
  flags.writeUInt32LE(direction, 0);
  options.push([epbFlags, flags]);
  return encodeOptions(options);
}

const packetOptionsByKind = new Map<string, Buffer>();

/** Options are the same for every packet of a direction and comment: built once. */
function cachedPacketOptions(direction: number, comment: string | undefined): Buffer {
  const key = `${direction}\n${comment ?? ''}`;
  let options = packetOptionsByKind.get(key);
  if (options === undefined) {
    options = packetOptions(direction, comment);
    packetOptionsByKind.set(key, options);
  }
  return options;
}

/** The size of the Enhanced Packet Block {@link writeEnhancedPacket} writes. */
function enhancedPacketLength(segment: Segment, options: Buffer): number {
  return 28 + pad4(packetLength(segment)) + options.length + 4;
}

/** One Enhanced Packet Block holding the synthesized packet, written at `at` in `out`. */
function writeEnhancedPacket(
  out: Buffer,
  at: number,
  atUs: number,
  segment: Segment,
  ipId: number,
  options: Buffer,
): number {
  const length = packetLength(segment);
  const total = 28 + pad4(length) + options.length + 4;
  const time = BigInt(Math.max(0, Math.floor(atUs)));
  out.writeUInt32LE(blockEpb, at);
  out.writeUInt32LE(total, at + 4);
  out.writeUInt32LE(0, at + 8); // interface id
  out.writeUInt32LE(Number(time >> 32n), at + 12);
  out.writeUInt32LE(Number(time & 0xffffffffn), at + 16);
  out.writeUInt32LE(length, at + 20); // captured
  out.writeUInt32LE(length, at + 24); // original
  writePacket(out, at + 28, segment, ipId);
  out.fill(0, at + 28 + length, at + 28 + pad4(length));
  options.copy(out, at + 28 + pad4(length));
  out.writeUInt32LE(total, at + total - 4);
  return at + total;
}

/** One TCP connection as the export replays it: next sequence number of each side. */
interface TcpFlow {
  sessionId: string;
  /** Local to remote. */
  out: PacketPath;
  localNext: number;
  remoteNext: number;
  /** The side whose FIN is already written (at its half-close), or null. */
  finFrom: 'local' | 'remote' | null;
}

function flowKey(sessionId: string, local: SocketAddress, remote: SocketAddress): string {
  return `${sessionId}\n${formatAddress(local)}\n${formatAddress(remote)}`;
}

/** A stable pseudo-random initial sequence number per connection (FNV-1a of its key). */
function initialSequence(key: string, salt: string): number {
  let hash = 0x811c9dc5;
  for (const char of `${salt}${key}`) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * The log as a pcapng file Wireshark and tshark open directly: one section,
 * one raw-IP interface with microsecond timestamps, one Enhanced Packet Block
 * per packet, direction in epb_flags (inbound 1, outbound 2).
 *
 * - 'out' records go from `local` to `remote`, 'in' records from `remote` to
 *   `local`; IPv4 or IPv6 by the addresses.
 * - TCP: per connection (session and 4-tuple) each side's sequence number
 *   advances by its payload and every segment acknowledges the other side's
 *   next byte (PSH|ACK). A SYN / SYN-ACK / ACK handshake is synthesized at the
 *   'connected' event (or before the first data when that event is gone) and
 *   FIN-ACK / FIN-ACK / ACK at 'closed' (a side that half-closed sends its FIN at
 *   its 'half-closed' event, so the side that closed first comes first), or one RST-ACK at 'reset-sent' (ours)
 *   or 'reset-received' (theirs). The side that sent 'connecting' is the
 *   client, the remote side of a connection our server 'accepted' is; without
 *   either, the side with the higher (ephemeral) port.
 *   Payloads over {@link tcpSegmentBytes} become several segments with the
 *   same timestamp.
 * - UDP: one datagram per record, empty ones included (split only if larger than a
 *   datagram can be); a socket bound to `::` talking IPv4 shows as 0.0.0.0.
 * - Other events (connecting, error, idle, info) become no packet:
 *   they have no bytes on the wire; the CSV and JSON Lines exports keep them.
 * - Records without both addresses (or with non-IP ones) are left out.
 * - One connection seen by two sessions of this app (our client talking to our
 *   server) appears twice, once per session, with separate sequence numbers;
 *   export one session to avoid that.
 */
export function* pcapngPieces(
  records: Iterable<StoredRecord>,
  options: { appName?: string } = {},
): Generator<Buffer> {
  yield sectionHeader(options.appName ?? 'sockscope');
  yield interfaceDescription();
  // A record's packets are written into one reused buffer and handed out only
  // between records: a record's bytes may be reused once the log evicts it, so none
  // is held across a pause. The buffer grows to hold the largest record's packets.
  let scratch = Buffer.allocUnsafe(pieceBytes * 2);
  let used = 0;
  const flows = new Map<string, TcpFlow>();
  const dialed = new Set<string>();
  /** Sessions that are a connection our server accepted: the remote side dialed. */
  const accepted = new Set<string>();
  let packets = 0;
  const emit = (atUs: number, direction: number, segment: Segment, comment?: string): void => {
    packets += 1;
    const options = cachedPacketOptions(direction, comment);
    const length = enhancedPacketLength(segment, options);
    if (used + length > scratch.length) {
      const larger = Buffer.allocUnsafe(Math.max(scratch.length * 2, used + length));
      scratch.copy(larger, 0, 0, used);
      scratch = larger;
    }
    used = writeEnhancedPacket(scratch, used, atUs, segment, packets, options);
  };
  const piece = (): Buffer => {
    const full = scratch.subarray(0, used);
    used = 0;
    return full;
  };

  const open = (
    record: StoredRecord,
    local: SocketAddress,
    remote: SocketAddress,
  ): TcpFlow | null => {
    const key = flowKey(record.sessionId, local, remote);
    const existing = flows.get(key);
    if (existing !== undefined) return existing;
    const out = pathBetween(local, remote);
    if (out === null) return null;
    const localIsClient =
      !accepted.has(record.sessionId) && (dialed.has(record.sessionId) || local.port > remote.port);
    const flow: TcpFlow = {
      sessionId: record.sessionId,
      out,
      localNext: initialSequence(key, 'local'),
      remoteNext: initialSequence(key, 'remote'),
      finFrom: null,
    };
    flows.set(key, flow);
    // SYN from the client, SYN-ACK from the server, ACK from the client.
    const send = (fromLocal: boolean, flags: number): void => {
      const seq = fromLocal ? flow.localNext : flow.remoteNext;
      const ack = (flags & tcpAck) !== 0 ? (fromLocal ? flow.remoteNext : flow.localNext) : 0;
      const segment: Segment = {
        protocol: ipProtoTcp,
        path: fromLocal ? flow.out : reversePath(flow.out),
        payload: new Uint8Array(0),
        seq,
        ack,
        flags,
        ...((flags & tcpSyn) !== 0 ? { options: synOptions } : {}),
      };
      emit(record.atUs, fromLocal ? epbOutbound : epbInbound, segment, synthesizedComment);
      if ((flags & tcpSyn) !== 0) {
        if (fromLocal) flow.localNext = (flow.localNext + 1) >>> 0;
        else flow.remoteNext = (flow.remoteNext + 1) >>> 0;
      }
    };
    send(localIsClient, tcpSyn);
    send(!localIsClient, tcpSyn | tcpAck);
    send(localIsClient, tcpAck);
    return flow;
  };

  /** One empty segment from a side, acknowledging the other side's next byte. */
  const control = (atUs: number, flow: TcpFlow, fromLocal: boolean, flags: number): void => {
    emit(
      atUs,
      fromLocal ? epbOutbound : epbInbound,
      {
        protocol: ipProtoTcp,
        path: fromLocal ? flow.out : reversePath(flow.out),
        payload: new Uint8Array(0),
        seq: fromLocal ? flow.localNext : flow.remoteNext,
        ack: fromLocal ? flow.remoteNext : flow.localNext,
        flags,
      },
      synthesizedComment,
    );
    if ((flags & tcpFin) === 0) return;
    if (fromLocal) flow.localNext = (flow.localNext + 1) >>> 0;
    else flow.remoteNext = (flow.remoteNext + 1) >>> 0;
  };

  /** A half-close: that side's FIN goes out when it happened, and data may still follow. */
  const halfClose = (atUs: number, flow: TcpFlow, fromLocal: boolean): void => {
    if (flow.finFrom !== null) return;
    flow.finFrom = fromLocal ? 'local' : 'remote';
    control(atUs, flow, fromLocal, tcpFin | tcpAck);
  };

  /**
   * The end: FINs not yet written, the side that closed first (ours when nobody
   * half-closed), then the last ACK from the side that sent the first FIN.
   */
  const close = (atUs: number, key: string, flow: TcpFlow): void => {
    flows.delete(key);
    const firstFromLocal = flow.finFrom !== 'remote';
    if (flow.finFrom === null) control(atUs, flow, firstFromLocal, tcpFin | tcpAck);
    control(atUs, flow, !firstFromLocal, tcpFin | tcpAck);
    control(atUs, flow, firstFromLocal, tcpAck);
  };

  /** An abort: one RST (with ACK) from the side that reset; no FINs follow. */
  const reset = (atUs: number, key: string, flow: TcpFlow, fromLocal: boolean): void => {
    flows.delete(key);
    emit(
      atUs,
      fromLocal ? epbOutbound : epbInbound,
      {
        protocol: ipProtoTcp,
        path: fromLocal ? flow.out : reversePath(flow.out),
        payload: new Uint8Array(0),
        seq: fromLocal ? flow.localNext : flow.remoteNext,
        ack: fromLocal ? flow.remoteNext : flow.localNext,
        flags: tcpRst | tcpAck,
      },
      synthesizedComment,
    );
  };

  const add = (record: StoredRecord): void => {
    const { local, remote } = record;
    if (record.direction === 'event') {
      if (record.transport !== 'tcp') return;
      if (record.event === 'connecting') {
        dialed.add(record.sessionId);
      } else if (
        (record.event === 'connected' || record.event === 'accepted') &&
        local !== null &&
        remote !== null
      ) {
        if (record.event === 'accepted') accepted.add(record.sessionId);
        open(record, local, remote);
      } else if (
        (record.event === 'reset-sent' || record.event === 'reset-received') &&
        local !== null &&
        remote !== null
      ) {
        const key = flowKey(record.sessionId, local, remote);
        const flow = flows.get(key);
        if (flow !== undefined) reset(record.atUs, key, flow, record.event === 'reset-sent');
      } else if (record.event === 'half-closed' && local !== null && remote !== null) {
        const flow = flows.get(flowKey(record.sessionId, local, remote));
        // The peer's FIN says so in its params; without them the FIN was ours.
        const by = record.params?.['by'];
        if (flow !== undefined) halfClose(record.atUs, flow, by !== 'peer' && by !== 'client');
      } else if (record.event === 'closed') {
        if (local !== null && remote !== null) {
          const key = flowKey(record.sessionId, local, remote);
          const flow = flows.get(key);
          if (flow !== undefined) close(record.atUs, key, flow);
        } else {
          for (const [key, flow] of flows) {
            if (flow.sessionId === record.sessionId) close(record.atUs, key, flow);
          }
        }
      }
      return;
    }

    if (local === null || remote === null) return;
    const direction = record.direction === 'out' ? epbOutbound : epbInbound;

    if (record.transport === 'udp') {
      // An empty datagram is still a datagram (a TCP read of 0 bytes is not a segment).
      const path =
        record.direction === 'out' ? pathBetween(local, remote) : pathBetween(remote, local);
      if (path === null) return;
      // A real datagram always fits; a larger record is split rather than dropped.
      const limit = path.v6 ? 65535 - 8 : 65535 - 20 - 8;
      for (let at = 0; at === 0 || at < record.bytes.length; at += limit) {
        emit(record.atUs, direction, {
          protocol: ipProtoUdp,
          path,
          payload: record.bytes.subarray(at, at + limit),
        });
      }
      return;
    }

    if (record.bytes.length === 0) return;
    const flow = open(record, local, remote);
    if (flow === null) return;
    const fromLocal = record.direction === 'out';
    const path = fromLocal ? flow.out : reversePath(flow.out);
    for (let at = 0; at < record.bytes.length; at += tcpSegmentBytes) {
      const payload = record.bytes.subarray(at, at + tcpSegmentBytes);
      const seq = fromLocal ? flow.localNext : flow.remoteNext;
      const ack = fromLocal ? flow.remoteNext : flow.localNext;
      emit(record.atUs, direction, {
        protocol: ipProtoTcp,
        path,
        payload,
        seq,
        ack,
        flags: tcpPsh | tcpAck,
      });
      if (fromLocal) flow.localNext = (flow.localNext + payload.length) >>> 0;
      else flow.remoteNext = (flow.remoteNext + payload.length) >>> 0;
    }
  };

  for (const record of records) {
    add(record);
    if (used >= pieceBytes) yield piece();
  }
  if (used > 0) yield piece();
}

/** The whole pcapng file at once (small logs and tests; the engine streams {@link pcapngPieces}). */
export function exportPcapng(
  records: Iterable<StoredRecord>,
  options: { appName?: string } = {},
): Buffer {
  return joinPieces(pcapngPieces(records, options));
}
