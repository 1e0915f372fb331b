import dnsPacket from 'dns-packet';
import type { Answer, OptAnswer, Question, RecordType } from 'dns-packet';
import type { DnsMessage, DnsQuestion, DnsRecord } from '@shared/contract/dns';
import {
  addressData,
  caaData,
  decimalEscape,
  genericData,
  mxData,
  nameData,
  quotedBytes,
  soaData,
  srvData,
  txtData,
} from './presentation';
import type { RecordData } from './presentation';

// The DNS message on the wire: the query we send and the reply we decode, with
// dns-packet doing the encoding and most of the decoding. TXT and CAA data are
// read from the raw record bytes, because dns-packet decodes CAA values as
// UTF-8 and would hide bytes that are not.

export interface QueryOptions {
  id: number;
  name: string;
  type: RecordType;
  recursionDesired: boolean;
  /** 0: no OPT record. */
  ednsBufferSize: number;
  dnssecOk: boolean;
}

export function encodeQuery(options: QueryOptions): Buffer {
  const edns: OptAnswer = {
    type: 'OPT',
    name: '.',
    udpPayloadSize: options.ednsBufferSize,
    extendedRcode: 0,
    ednsVersion: 0,
    flags: options.dnssecOk ? dnsPacket.DNSSEC_OK : 0,
    flag_do: options.dnssecOk,
    options: [],
  };
  return dnsPacket.encode({
    type: 'query',
    id: options.id,
    flags: options.recursionDesired ? dnsPacket.RECURSION_DESIRED : 0,
    questions: [{ type: options.type, name: options.name, class: 'IN' }],
    additionals: options.ednsBufferSize === 0 ? [] : [edns],
  });
}

const headerBytes = 12;

/** Characters a name label escapes with a backslash in presentation form (RFC 1035 5.1). */
const specialInLabel = '".;\\()@$';

function labelText(label: Uint8Array): string {
  let text = '';
  for (const byte of label) {
    if (byte <= 0x20 || byte >= 0x7f) text += decimalEscape(byte);
    else {
      const character = String.fromCharCode(byte);
      text += specialInLabel.includes(character) ? `\\${character}` : character;
    }
  }
  return text;
}

/**
 * The name at `offset` as dig prints it (absolute, odd bytes escaped), following
 * compression pointers, and the offset just past it in the message.
 */
function readName(bytes: Buffer, offset: number): { name: string; end: number } {
  const labels: string[] = [];
  let at = offset;
  let end: number | null = null;
  for (let jumps = 0; ;) {
    const length = bytes[at];
    if (length === undefined) throw new Error('a name runs past the end of the message');
    if (length === 0) {
      end ??= at + 1;
      break;
    }
    if ((length & 0xc0) === 0xc0) {
      const low = bytes[at + 1];
      if (low === undefined) throw new Error('a name runs past the end of the message');
      end ??= at + 2;
      if (++jumps > 127) throw new Error("a name's compression pointers loop");
      at = ((length & 0x3f) << 8) | low;
      continue;
    }
    if ((length & 0xc0) !== 0) throw new Error('a name has a label type DNS does not define');
    if (at + 1 + length > bytes.length) throw new Error('a label runs past the end of the message');
    labels.push(labelText(bytes.subarray(at + 1, at + 1 + length)));
    at += 1 + length;
  }
  return { name: labels.length === 0 ? '.' : `${labels.join('.')}.`, end };
}

interface RecordLayout {
  owner: string;
  /** Where the record's data starts in the message, and its length. */
  dataOffset: number;
  dataLength: number;
}

/** Question names and where every record's owner and data sit, in message order. */
function messageLayout(bytes: Buffer): { questions: string[]; records: RecordLayout[] } {
  const questionCount = bytes.readUInt16BE(4);
  const recordCount = bytes.readUInt16BE(6) + bytes.readUInt16BE(8) + bytes.readUInt16BE(10);
  let offset = headerBytes;
  const questions: string[] = [];
  for (let index = 0; index < questionCount; index++) {
    const { name, end } = readName(bytes, offset);
    questions.push(name);
    offset = end + 4;
  }
  const records: RecordLayout[] = [];
  for (let index = 0; index < recordCount; index++) {
    const { name, end } = readName(bytes, offset);
    const dataLength = bytes.readUInt16BE(end + 8);
    const dataOffset = end + 10;
    if (dataOffset + dataLength > bytes.length)
      throw new Error('a record runs past the end of the message');
    records.push({ owner: name, dataOffset, dataLength });
    offset = dataOffset + dataLength;
  }
  return { questions, records };
}

/** dns-packet names what it does not know UNKNOWN_n; dig says TYPEn / CLASSn. */
function mnemonic(text: string | undefined, prefix: 'TYPE' | 'CLASS'): string {
  if (text === undefined) return prefix;
  const unknown = /^UNKNOWN_(\d+)$/.exec(text);
  return unknown === null ? text : `${prefix}${unknown[1]}`;
}

/** Reads the 8-bit length-prefixed strings that make up TXT (and HINFO) data. */
function characterStrings(rdata: Buffer): Buffer[] {
  const strings: Buffer[] = [];
  let offset = 0;
  while (offset < rdata.length) {
    const length = rdata[offset] ?? 0;
    if (offset + 1 + length > rdata.length) throw new Error('a TXT string runs past its record');
    strings.push(rdata.subarray(offset + 1, offset + 1 + length));
    offset += 1 + length;
  }
  return strings;
}

function caaFromBytes(rdata: Buffer): RecordData {
  const flags = rdata[0] ?? 0;
  const tagLength = rdata[1] ?? 0;
  const tag = rdata.subarray(2, 2 + tagLength).toString('latin1');
  return caaData(flags, tag, rdata.subarray(2 + tagLength));
}

type DecodedRecord = Exclude<Answer, OptAnswer>;

/** Record data, with every name in it read from the message itself (as dig prints names). */
function recordData(record: DecodedRecord, bytes: Buffer, layout: RecordLayout): RecordData {
  const start = layout.dataOffset;
  const rdata = bytes.subarray(start, start + layout.dataLength);
  const nameAt = (offset: number) => readName(bytes, offset).name;
  switch (record.type) {
    case 'A':
    case 'AAAA':
      return addressData(record.data);
    case 'CNAME':
    case 'DNAME':
      return nameData('target', nameAt(start));
    case 'NS':
      return nameData('nameserver', nameAt(start));
    case 'PTR':
      return nameData('hostname', nameAt(start));
    case 'MX':
      return mxData(record.data.preference ?? 0, nameAt(start + 2));
    case 'SRV':
      return srvData(
        record.data.priority ?? 0,
        record.data.weight ?? 0,
        record.data.port,
        nameAt(start + 6),
      );
    case 'SOA': {
      const soa = record.data;
      const nsname = readName(bytes, start);
      return soaData({
        nsname: nsname.name,
        hostmaster: nameAt(nsname.end),
        serial: soa.serial ?? 0,
        refresh: soa.refresh ?? 0,
        retry: soa.retry ?? 0,
        expire: soa.expire ?? 0,
        minttl: soa.minimum ?? 0,
      });
    }
    case 'TXT':
      return txtData(characterStrings(rdata));
    case 'CAA':
      return caaFromBytes(rdata);
    case 'HINFO': {
      const [cpu = Buffer.alloc(0), os = Buffer.alloc(0)] = characterStrings(rdata);
      return {
        value: `${quotedBytes(cpu)} ${quotedBytes(os)}`,
        fields: { cpu: cpu.toString('latin1'), os: os.toString('latin1') },
      };
    }
    default:
      return genericData(rdata);
  }
}

function toRecord(record: DecodedRecord, bytes: Buffer, layout: RecordLayout): DnsRecord {
  const { value, fields } = recordData(record, bytes, layout);
  return {
    name: layout.owner,
    type: mnemonic(record.type, 'TYPE'),
    class: mnemonic(record.class, 'CLASS'),
    ttl: record.ttl ?? 0,
    value,
    fields,
  };
}

function toQuestion(question: Question, name: string): DnsQuestion {
  return {
    name,
    type: mnemonic(question.type, 'TYPE'),
    class: mnemonic(question.class, 'CLASS'),
  };
}

const rcodeWords = [
  'NOERROR',
  'FORMERR',
  'SERVFAIL',
  'NXDOMAIN',
  'NOTIMP',
  'REFUSED',
  'YXDOMAIN',
  'YXRRSET',
  'NXRRSET',
  'NOTAUTH',
  'NOTZONE',
];

const opcodeNames: Record<number, string> = {
  0: 'QUERY',
  1: 'IQUERY',
  2: 'STATUS',
  4: 'NOTIFY',
  5: 'UPDATE',
};

/** An rcode's mnemonic; extended rcodes from EDNS included (16 is BADVERS). */
export function rcodeName(value: number): string {
  if (value === 16) return 'BADVERS';
  return rcodeWords[value] ?? `RCODE${value}`;
}

/** The 16-bit id at the start of a message, or null when it is too short to be DNS. */
export function messageId(bytes: Buffer): number | null {
  return bytes.length < headerBytes ? null : bytes.readUInt16BE(0);
}

/** Decodes a whole reply; throws when it is not a well-formed DNS message. */
export function decodeReply(bytes: Buffer): DnsMessage {
  const packet = dnsPacket.decode(bytes);
  const layout = messageLayout(bytes);
  const flags = bytes.readUInt16BE(2);
  const bit = (shift: number): boolean => ((flags >> shift) & 1) === 1;
  let index = 0;
  let edns: DnsMessage['edns'] = null;
  let extendedRcode = 0;
  const section = (answers: readonly Answer[] | undefined): DnsRecord[] => {
    const records: DnsRecord[] = [];
    for (const answer of answers ?? []) {
      const place = layout.records[index++];
      if (place === undefined) throw new Error('more records decoded than the message holds');
      if (answer.type === 'OPT') {
        const optFlags = answer.flags ?? 0;
        extendedRcode = answer.extendedRcode ?? 0;
        edns = {
          version: answer.ednsVersion ?? 0,
          udpPayloadSize: answer.udpPayloadSize ?? 0,
          dnssecOk: (optFlags & dnsPacket.DNSSEC_OK) !== 0,
        };
      } else {
        records.push(toRecord(answer, bytes, place));
      }
    }
    return records;
  };
  const answer = section(packet.answers);
  const authority = section(packet.authorities);
  const additional = section(packet.additionals);
  const rcodeValue = (extendedRcode << 4) | (flags & 0xf);
  return {
    id: bytes.readUInt16BE(0),
    opcode: opcodeNames[(flags >> 11) & 0xf] ?? `OPCODE${(flags >> 11) & 0xf}`,
    rcode: rcodeName(rcodeValue),
    rcodeValue,
    flags: { qr: bit(15), aa: bit(10), tc: bit(9), rd: bit(8), ra: bit(7), ad: bit(5), cd: bit(4) },
    question: (packet.questions ?? []).map((question, at) =>
      toQuestion(question, layout.questions[at] ?? '.'),
    ),
    answer,
    authority,
    additional,
    edns,
    additionalCount: bytes.readUInt16BE(10),
  };
}
