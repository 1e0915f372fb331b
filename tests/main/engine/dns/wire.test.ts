import dnsPacket from 'dns-packet';
import { describe, expect, it } from 'vitest';
import { decodeReply, encodeQuery, rcodeName } from '../../../../src/main/engine/dns/wire';

// The query we put on the wire and the replies we read back, byte for byte.

const query = (overrides: Partial<Parameters<typeof encodeQuery>[0]> = {}) =>
  encodeQuery({
    id: 0x1234,
    name: 'example.test',
    type: 'TXT',
    recursionDesired: true,
    ednsBufferSize: 1232,
    dnssecOk: false,
    ...overrides,
  });

describe('the query', () => {
  it('carries id, RD, the question and an OPT record with the buffer size', () => {
    const decoded = dnsPacket.decode(query());
    expect(decoded.id).toBe(0x1234);
    expect((decoded.flags ?? 0) & dnsPacket.RECURSION_DESIRED).not.toBe(0);
    expect(decoded.questions).toEqual([{ name: 'example.test', type: 'TXT', class: 'IN' }]);
    expect(decoded.additionals).toMatchObject([{ type: 'OPT', udpPayloadSize: 1232, flags: 0 }]);
  });

  it('RD off, DO on, and no OPT at all when the buffer size is 0', () => {
    const noRecursion = dnsPacket.decode(query({ recursionDesired: false, dnssecOk: true }));
    expect((noRecursion.flags ?? 0) & dnsPacket.RECURSION_DESIRED).toBe(0);
    expect(noRecursion.additionals?.[0]).toMatchObject({ flags: dnsPacket.DNSSEC_OK });
    expect(dnsPacket.decode(query({ ednsBufferSize: 0 })).additionals).toEqual([]);
  });
});

describe('the reply', () => {
  const reply = (packet: Partial<dnsPacket.Packet>) =>
    dnsPacket.encode({
      type: 'response',
      id: 7,
      flags: dnsPacket.AUTHORITATIVE_ANSWER,
      questions: [{ name: 'example.test', type: 'TXT', class: 'IN' }],
      ...packet,
    });

  it('reads header flags, sections and the raw TXT strings', () => {
    const message = decodeReply(
      reply({
        answers: [
          { name: 'example.test', type: 'TXT', ttl: 60, data: [Buffer.from([0xff]), 'ok'] },
        ],
        authorities: [{ name: 'example.test', type: 'NS', ttl: 120, data: 'ns.example.test' }],
        additionals: [
          { name: 'ns.example.test', type: 'A', ttl: 30, data: '192.0.2.1' },
          {
            type: 'OPT',
            name: '.',
            udpPayloadSize: 4096,
            flags: dnsPacket.DNSSEC_OK,
          } as dnsPacket.Answer,
        ],
      }),
    );
    expect(message.flags).toMatchObject({ qr: true, aa: true, tc: false, rd: false });
    expect(message.answer).toEqual([
      {
        name: 'example.test.',
        type: 'TXT',
        class: 'IN',
        ttl: 60,
        value: '"\\255" "ok"',
        fields: { text: 'ÿok', strings: 2 },
      },
    ]);
    expect(message.authority.map((record) => record.value)).toEqual(['ns.example.test.']);
    expect(message.additional.map((record) => record.value)).toEqual(['192.0.2.1']);
    expect(message.additionalCount).toBe(2);
    expect(message.edns).toEqual({ version: 0, udpPayloadSize: 4096, dnssecOk: true });
  });

  it('types it has no layout for come out in RFC 3597 form, named TYPEn', () => {
    const bytes = reply({ answers: [] });
    // Append one record of type 65280 (private use) with two bytes of data by hand.
    const record = Buffer.from([0, 0xff, 0x00, 0, 1, 0, 0, 0, 9, 0, 2, 0xab, 0xcd]);
    const packet = Buffer.concat([bytes, record]);
    packet.writeUInt16BE(1, 6);
    expect(decodeReply(packet).answer).toEqual([
      {
        name: '.',
        type: 'TYPE65280',
        class: 'IN',
        ttl: 9,
        value: '\\# 2 ABCD',
        fields: { length: 2 },
      },
    ]);
  });

  it('throws on a message cut short', () => {
    const bytes = reply({
      answers: [{ name: 'example.test', type: 'A', ttl: 1, data: '192.0.2.1' }],
    });
    expect(() => decodeReply(bytes.subarray(0, bytes.length - 3))).toThrow();
  });

  it('refuses a name whose compression pointer points at itself', () => {
    const bytes = reply({ answers: [] });
    // One answer whose owner name is a pointer to its own offset.
    const at = bytes.length;
    const record = Buffer.from([
      0xc0 | (at >> 8),
      at & 0xff,
      0,
      1,
      0,
      1,
      0,
      0,
      0,
      1,
      0,
      4,
      192,
      0,
      2,
      1,
    ]);
    const packet = Buffer.concat([bytes, record]);
    packet.writeUInt16BE(1, 6);
    expect(() => decodeReply(packet)).toThrow();
  });

  it('names rcodes, extended ones included', () => {
    expect([0, 1, 2, 3, 4, 5, 9, 16, 23].map(rcodeName)).toEqual([
      'NOERROR',
      'FORMERR',
      'SERVFAIL',
      'NXDOMAIN',
      'NOTIMP',
      'REFUSED',
      'NOTAUTH',
      'BADVERS',
      'RCODE23',
    ]);
  });
});
