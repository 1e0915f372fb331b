import dnsPacket from 'dns-packet';
import type { Answer, OptAnswer, Question, RecordType } from 'dns-packet';
import type { DnsMessage, DnsQuestion, DnsRecord } from '@shared/contract/dns';
import {
  absoluteName,
  addressData,
  caaData,
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

/** Offset just past the (possibly compressed) name at `offset`. */
function skipName(bytes: Buffer, offset: number): number {
  let at = offset;
  for (;;) {
    if (at >= bytes.length) throw new Error('a name runs past the end of the message');
    const length = bytes[at] ?? 0;
    if (length === 0) return at + 1;
    if ((length & 0xc0) === 0xc0) return at + 2;
    at += length + 1;
  }
}

/** The raw data of every resource record, in message order (answer, authority, additional). */
function recordDataSlices(bytes: Buffer): Buffer[] {
  const questions = bytes.readUInt16BE(4);
  const records = bytes.readUInt16BE(6) + bytes.readUInt16BE(8) + bytes.readUInt16BE(10);
  let offset = headerBytes;
  for (let index = 0; index < questions; index++) offset = skipName(bytes, offset) + 4;
  const slices: Buffer[] = [];
  for (let index = 0; index < records; index++) {
    const fixed = skipName(bytes, offset);
    const length = bytes.readUInt16BE(fixed + 8);
    const start = fixed + 10;
    if (start + length > bytes.length) throw new Error('a record runs past the end of the message');
    slices.push(bytes.subarray(start, start + length));
    offset = start + length;
  }
  return slices;
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

function recordData(record: DecodedRecord, rdata: Buffer): RecordData {
  switch (record.type) {
    case 'A':
    case 'AAAA':
      return addressData(record.data);
    case 'CNAME':
    case 'DNAME':
      return nameData('target', record.data);
    case 'NS':
      return nameData('nameserver', record.data);
    case 'PTR':
      return nameData('hostname', record.data);
    case 'MX':
      return mxData(record.data.preference ?? 0, record.data.exchange);
    case 'SRV':
      return srvData(
        record.data.priority ?? 0,
        record.data.weight ?? 0,
        record.data.port,
        record.data.target,
      );
    case 'SOA': {
      const soa = record.data;
      return soaData({
        nsname: soa.mname,
        hostmaster: soa.rname,
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

function toRecord(record: DecodedRecord, rdata: Buffer): DnsRecord {
  const { value, fields } = recordData(record, rdata);
  return {
    name: absoluteName(record.name),
    type: mnemonic(record.type, 'TYPE'),
    class: mnemonic(record.class, 'CLASS'),
    ttl: record.ttl ?? 0,
    value,
    fields,
  };
}

function toQuestion(question: Question): DnsQuestion {
  return {
    name: absoluteName(question.name),
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
  const slices = recordDataSlices(bytes);
  const flags = bytes.readUInt16BE(2);
  const bit = (shift: number): boolean => ((flags >> shift) & 1) === 1;
  let index = 0;
  let edns: DnsMessage['edns'] = null;
  let extendedRcode = 0;
  const section = (answers: readonly Answer[] | undefined): DnsRecord[] => {
    const records: DnsRecord[] = [];
    for (const answer of answers ?? []) {
      const rdata = slices[index++] ?? Buffer.alloc(0);
      if (answer.type === 'OPT') {
        const optFlags = answer.flags ?? 0;
        extendedRcode = answer.extendedRcode ?? 0;
        edns = {
          version: answer.ednsVersion ?? 0,
          udpPayloadSize: answer.udpPayloadSize ?? 0,
          dnssecOk: (optFlags & dnsPacket.DNSSEC_OK) !== 0,
        };
      } else {
        records.push(toRecord(answer, rdata));
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
    question: (packet.questions ?? []).map(toQuestion),
    answer,
    authority,
    additional,
    edns,
    additionalCount: bytes.readUInt16BE(10),
  };
}
