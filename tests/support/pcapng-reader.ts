// A small pcapng reader for tests, written from the spec independently of the
// exporter: Section Header, Interface Description and Enhanced Packet blocks
// (others are skipped), plus an IPv4/IPv6 + TCP/UDP decoder with checksum checks.

export interface PcapngSection {
  byteOrder: 'LE' | 'BE';
  major: number;
  minor: number;
  userAppl: string | null;
}

export interface PcapngInterface {
  linktype: number;
  snaplen: number;
  /** Timestamp units per second (10^6 for if_tsresol = 6, the default). */
  unitsPerSecond: bigint;
  tsresol: number | null;
  name: string | null;
}

export interface PcapngPacket {
  interfaceId: number;
  /** Timestamp converted to microseconds since the epoch. */
  timestampUs: number;
  capturedLength: number;
  originalLength: number;
  data: Buffer;
  /** epb_flags, or null when absent. */
  flags: number | null;
  comments: string[];
}

export interface PcapngFile {
  sections: PcapngSection[];
  interfaces: PcapngInterface[];
  packets: PcapngPacket[];
  /** Types of blocks that were skipped. */
  skipped: number[];
}

interface Option {
  code: number;
  value: Buffer;
}

function pad4(length: number): number {
  return (length + 3) & ~3;
}

function readOptions(body: Buffer, start: number, le: boolean): Option[] {
  const options: Option[] = [];
  let offset = start;
  while (offset + 4 <= body.length) {
    const code = le ? body.readUInt16LE(offset) : body.readUInt16BE(offset);
    const length = le ? body.readUInt16LE(offset + 2) : body.readUInt16BE(offset + 2);
    if (code === 0) break;
    if (offset + 4 + length > body.length) throw new Error(`option ${code} runs past its block`);
    options.push({ code, value: body.subarray(offset + 4, offset + 4 + length) });
    offset += 4 + pad4(length);
  }
  return options;
}

/** Parses a whole pcapng file; throws on structural errors. */
export function readPcapng(file: Buffer): PcapngFile {
  const result: PcapngFile = { sections: [], interfaces: [], packets: [], skipped: [] };
  let le = true;
  let offset = 0;
  while (offset < file.length) {
    if (offset + 12 > file.length) throw new Error(`truncated block header at ${offset}`);
    const rawType = file.readUInt32LE(offset);
    if (rawType === 0x0a0d0d0a) {
      const magic = file.readUInt32LE(offset + 8);
      if (magic === 0x1a2b3c4d) le = true;
      else if (magic === 0x4d3c2b1a) le = false;
      else throw new Error(`bad byte-order magic at ${offset}`);
    } else if (result.sections.length === 0) {
      throw new Error('the file does not start with a Section Header Block');
    }
    const u32 = (at: number): number => (le ? file.readUInt32LE(at) : file.readUInt32BE(at));
    const type = u32(offset);
    const total = u32(offset + 4);
    if (total % 4 !== 0 || total < 12 || offset + total > file.length) {
      throw new Error(`bad block length ${total} at ${offset}`);
    }
    if (u32(offset + total - 4) !== total) throw new Error(`trailing length mismatch at ${offset}`);
    const body = file.subarray(offset + 8, offset + total - 4);
    const u16b = (at: number): number => (le ? body.readUInt16LE(at) : body.readUInt16BE(at));
    const u32b = (at: number): number => (le ? body.readUInt32LE(at) : body.readUInt32BE(at));

    if (type === 0x0a0d0d0a) {
      const options = readOptions(body, 16, le);
      const userAppl = options.find((option) => option.code === 4);
      result.sections.push({
        byteOrder: le ? 'LE' : 'BE',
        major: u16b(4),
        minor: u16b(6),
        userAppl: userAppl === undefined ? null : userAppl.value.toString('utf8'),
      });
      result.interfaces = [];
    } else if (type === 1) {
      const options = readOptions(body, 8, le);
      const tsresolOption = options.find((option) => option.code === 9);
      const nameOption = options.find((option) => option.code === 2);
      const tsresol = tsresolOption?.value[0] ?? null;
      let unitsPerSecond = 1_000_000n;
      if (tsresol !== null) {
        unitsPerSecond =
          (tsresol & 0x80) !== 0 ? 2n ** BigInt(tsresol & 0x7f) : 10n ** BigInt(tsresol);
      }
      result.interfaces.push({
        linktype: u16b(0),
        snaplen: u32b(4),
        unitsPerSecond,
        tsresol,
        name: nameOption === undefined ? null : nameOption.value.toString('utf8'),
      });
    } else if (type === 6) {
      const interfaceId = u32b(0);
      const iface = result.interfaces[interfaceId];
      if (iface === undefined) throw new Error(`packet on unknown interface ${interfaceId}`);
      const units = (BigInt(u32b(4)) << 32n) | BigInt(u32b(8));
      const capturedLength = u32b(12);
      const originalLength = u32b(16);
      if (20 + capturedLength > body.length) throw new Error(`packet data runs past its block`);
      const options = readOptions(body, 20 + pad4(capturedLength), le);
      const flagsOption = options.find((option) => option.code === 2);
      result.packets.push({
        interfaceId,
        timestampUs: Number((units * 1_000_000n) / iface.unitsPerSecond),
        capturedLength,
        originalLength,
        data: Buffer.from(body.subarray(20, 20 + capturedLength)),
        flags:
          flagsOption === undefined
            ? null
            : le
              ? flagsOption.value.readUInt32LE(0)
              : flagsOption.value.readUInt32BE(0),
        comments: options
          .filter((option) => option.code === 1)
          .map((option) => option.value.toString('utf8')),
      });
    } else {
      result.skipped.push(type);
    }
    offset += total;
  }
  return result;
}

// ---------------------------------------------------------------------------
// IP + TCP/UDP

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;

export interface DecodedPacket {
  ipVersion: 4 | 6;
  protocol: number;
  transport: 'tcp' | 'udp' | 'other';
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  /** TCP only (0 for UDP). */
  seq: number;
  ack: number;
  flags: number;
  window: number;
  tcpOptions: Buffer;
  payload: Buffer;
  /** Offsets into the packet, for the checksum helpers. */
  ipHeaderLength: number;
  transportLength: number;
}

function formatIPv6(bytes: Buffer): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i));
  // The longest run (2 or more) of zero groups becomes '::' (RFC 5952).
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j += 1;
    if (j - i > bestLength && j - i >= 2) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (list: number[]): string => list.map((group) => group.toString(16)).join(':');
  if (bestStart === -1) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLength))}`;
}

/** Decodes a raw IP packet (LINKTYPE_RAW) down to its TCP or UDP payload. */
export function decodeIpPacket(packet: Buffer): DecodedPacket {
  const version = (packet[0] ?? 0) >> 4;
  let ipHeaderLength: number;
  let protocol: number;
  let src: string;
  let dst: string;
  let transportLength: number;
  if (version === 4) {
    ipHeaderLength = ((packet[0] ?? 0) & 0x0f) * 4;
    const totalLength = packet.readUInt16BE(2);
    if (totalLength !== packet.length) {
      throw new Error(`IPv4 total length ${totalLength} but packet is ${packet.length}`);
    }
    protocol = packet[9] ?? 0;
    src = [...packet.subarray(12, 16)].join('.');
    dst = [...packet.subarray(16, 20)].join('.');
    transportLength = totalLength - ipHeaderLength;
  } else if (version === 6) {
    ipHeaderLength = 40;
    transportLength = packet.readUInt16BE(4);
    if (transportLength + 40 !== packet.length) {
      throw new Error(`IPv6 payload length ${transportLength} but packet is ${packet.length}`);
    }
    protocol = packet[6] ?? 0;
    src = formatIPv6(packet.subarray(8, 24));
    dst = formatIPv6(packet.subarray(24, 40));
  } else {
    throw new Error(`not an IP packet (version ${version})`);
  }
  const l4 = packet.subarray(ipHeaderLength);
  const base = {
    ipVersion: version as 4 | 6,
    protocol,
    src,
    dst,
    ipHeaderLength,
    transportLength,
  };
  if (protocol === 6) {
    const dataOffset = ((l4[12] ?? 0) >> 4) * 4;
    return {
      ...base,
      transport: 'tcp',
      srcPort: l4.readUInt16BE(0),
      dstPort: l4.readUInt16BE(2),
      seq: l4.readUInt32BE(4),
      ack: l4.readUInt32BE(8),
      flags: l4[13] ?? 0,
      window: l4.readUInt16BE(14),
      tcpOptions: Buffer.from(l4.subarray(20, dataOffset)),
      payload: Buffer.from(l4.subarray(dataOffset)),
    };
  }
  if (protocol === 17) {
    const udpLength = l4.readUInt16BE(4);
    if (udpLength !== l4.length) throw new Error(`UDP length ${udpLength} but ${l4.length} bytes`);
    return {
      ...base,
      transport: 'udp',
      srcPort: l4.readUInt16BE(0),
      dstPort: l4.readUInt16BE(2),
      seq: 0,
      ack: 0,
      flags: 0,
      window: 0,
      tcpOptions: Buffer.alloc(0),
      payload: Buffer.from(l4.subarray(8)),
    };
  }
  return {
    ...base,
    transport: 'other',
    srcPort: 0,
    dstPort: 0,
    seq: 0,
    ack: 0,
    flags: 0,
    window: 0,
    tcpOptions: Buffer.alloc(0),
    payload: Buffer.from(l4),
  };
}

/** The ones' complement sum (RFC 1071) of `bytes`, folded to 16 bits, not inverted. */
export function onesComplementSum(bytes: Uint8Array, initial = 0): number {
  let sum = initial;
  for (let i = 0; i < bytes.length; i += 2) {
    sum += ((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0);
  }
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return sum;
}

/** True when the IPv4 header checksum verifies (IPv6 has none: always true). */
export function ipv4HeaderChecksumValid(packet: Buffer): boolean {
  if ((packet[0] ?? 0) >> 4 !== 4) return true;
  const headerLength = ((packet[0] ?? 0) & 0x0f) * 4;
  return onesComplementSum(packet.subarray(0, headerLength)) === 0xffff;
}

/** True when the TCP or UDP checksum (with its pseudo-header) verifies. */
export function transportChecksumValid(packet: Buffer): boolean {
  const decoded = decodeIpPacket(packet);
  const { ipHeaderLength, transportLength, protocol } = decoded;
  const l4 = packet.subarray(ipHeaderLength, ipHeaderLength + transportLength);
  let pseudo: Buffer;
  if (decoded.ipVersion === 4) {
    pseudo = Buffer.alloc(12);
    packet.copy(pseudo, 0, 12, 20);
    pseudo[9] = protocol;
    pseudo.writeUInt16BE(transportLength, 10);
  } else {
    pseudo = Buffer.alloc(40);
    packet.copy(pseudo, 0, 8, 40);
    pseudo.writeUInt32BE(transportLength, 32);
    pseudo[39] = protocol;
  }
  if (protocol === 17 && l4.readUInt16BE(6) === 0) return decoded.ipVersion === 4; // "no checksum"
  return onesComplementSum(l4, onesComplementSum(pseudo)) === 0xffff;
}
