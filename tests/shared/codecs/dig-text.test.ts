import { describe, expect, it } from 'vitest';
import { digText, recordLine } from '@shared/codecs/dig-text';
import type { DnsQueryResult, DnsRecord } from '@shared/contract/dns';

const record = (name: string, ttl: number | null, type = 'A', value = '192.0.2.1'): DnsRecord => ({
  name,
  type,
  class: 'IN',
  ttl,
  value,
  fields: {},
});

describe("record lines in BIND's columns", () => {
  it('tabs to the next stop, or one space once a field reaches it', () => {
    // Checked against dig 9.18's own output for the same names.
    expect(recordLine(record('t.test.', 99))).toBe('t.test.\t\t\t99\tIN\tA\t192.0.2.1');
    expect(recordLine(record('_sip._udp.t.test.', 99, 'SRV', '0 5 5060 sip.t.test.'))).toBe(
      '_sip._udp.t.test.\t99\tIN\tSRV\t0 5 5060 sip.t.test.',
    );
    expect(recordLine(record('abcdefghijklmnopqrstuv.test.', 1209600))).toBe(
      'abcdefghijklmnopqrstuv.test. 1209600 IN\tA\t192.0.2.1',
    );
    expect(recordLine(record('abcdefghijklmnopqrstuvwxyzabcdefgh.test.', 1209600))).toBe(
      'abcdefghijklmnopqrstuvwxyzabcdefgh.test. 1209600 IN A 192.0.2.1',
    );
  });

  it('a TTL the system resolver did not report is "-"', () => {
    expect(recordLine(record('t.test.', null, 'MX', '10 mx.t.test.'))).toBe(
      't.test.\t\t\t-\tIN\tMX\t10 mx.t.test.',
    );
  });
});

describe('the whole text', () => {
  const base: DnsQueryResult = {
    name: 't.test',
    queriedName: 't.test',
    type: 'A',
    path: 'system-resolver',
    server: 'system',
    transport: null,
    records: [record('t.test.', 300)],
    message: null,
    replyBytes: null,
    attempts: 1,
    notes: [],
    elapsedMs: 3.4,
  };

  it('says when the system resolver answered, and what it cannot show', () => {
    const text = digText(base);
    expect(text).toContain('; <<>> sockscope <<>> t.test A');
    expect(text).toContain('Answered by the system resolver');
    expect(text).toContain(';; ANSWER SECTION:\nt.test.\t\t\t300\tIN\tA\t192.0.2.1\n');
    expect(text).toContain(';; Query time: 3 msec');
  });

  it('a reply from a server over IPv6 and TCP, with DO and an authority section', () => {
    const text = digText({
      ...base,
      path: 'dns-client',
      server: '[::1]:5353',
      transport: 'tcp',
      records: [],
      replyBytes: 99,
      message: {
        id: 42,
        opcode: 'QUERY',
        rcode: 'NOERROR',
        rcodeValue: 0,
        flags: { qr: true, aa: false, tc: false, rd: true, ra: true, ad: true, cd: false },
        question: [{ name: 't.test.', type: 'A', class: 'IN' }],
        answer: [],
        authority: [record('test.', 60, 'SOA', 'ns. host. 1 2 3 4 5')],
        additional: [],
        edns: { version: 0, udpPayloadSize: 1232, dnssecOk: true },
        additionalCount: 1,
      },
    });
    expect(text).toContain('; <<>> sockscope <<>> @::1 -p 5353 t.test A');
    expect(text).toContain(
      ';; flags: qr rd ra ad; QUERY: 1, ANSWER: 0, AUTHORITY: 1, ADDITIONAL: 1',
    );
    expect(text).toContain('; EDNS: version: 0, flags: do; udp: 1232');
    expect(text).not.toContain(';; ANSWER SECTION:');
    expect(text).toContain(';; AUTHORITY SECTION:\ntest.\t\t\t60\tIN\tSOA\tns. host. 1 2 3 4 5\n');
    expect(text).toContain(';; SERVER: ::1#5353(::1) (TCP)');
    expect(text).toContain(';; MSG SIZE  rcvd: 99');
  });
});
