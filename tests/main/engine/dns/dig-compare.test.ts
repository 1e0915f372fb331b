import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digText } from '@shared/codecs/dig-text';
import { DnsQueryArgs, DnsQueryResult } from '@shared/contract/dns';
import type { DnsRecordType } from '@shared/contract/dns';
import { Lookups } from '../../../../src/main/engine/lookups/lookups';
import { startDnsServer } from '../../../support/dns-server';
import type { DnsTestServer } from '../../../support/dns-server';
import { commandPath, startDnsmasq } from '../../../support/dnsmasq';
import type { Dnsmasq } from '../../../support/dnsmasq';

// Our dig-style text against dig itself, for the same answers from two servers
// on loopback: Debian's dnsmasq and our own test server. Record lines must be
// the same (names, TTLs, classes, types, data), except that dig writes every
// byte outside ASCII as \DDD where we show valid UTF-8 decoded, so both sides
// are compared as the bytes they stand for.

const execFileAsync = promisify(execFile);
const dig = commandPath('dig');
const dnsmasqBinary = commandPath('dnsmasq');
if (dig === null)
  console.log('skipping the dig comparisons: dig is not installed (Debian bind9-dnsutils)');
if (dnsmasqBinary === null)
  console.log('skipping the dnsmasq tests: dnsmasq is not installed (Debian dnsmasq)');

/** A line as the bytes it stands for: \DDD is one byte, everything else its UTF-8. */
function lineBytes(line: string): Buffer {
  const parts: Buffer[] = [];
  let text = '';
  for (let index = 0; index < line.length; index++) {
    const escape = /^\\(\d{3})/.exec(line.slice(index));
    if (escape !== null) {
      parts.push(Buffer.from(text, 'utf8'), Buffer.from([Number(escape[1])]));
      text = '';
      index += 3;
    } else text += line[index];
  }
  parts.push(Buffer.from(text, 'utf8'));
  return Buffer.concat(parts);
}

async function digAnswer(port: number, name: string, type: string): Promise<string[]> {
  const { stdout } = await execFileAsync(dig ?? 'dig', [
    '@127.0.0.1',
    '-p',
    String(port),
    name,
    type,
    '+noall',
    '+answer',
    '+tries=1',
    '+time=2',
  ]);
  return stdout.split('\n').filter((line) => line !== '');
}

/** The header's status, flags and EDNS lines, id left out (each query has its own). */
function headerLines(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => /^;; ->>HEADER<<-|^;; flags:|^; EDNS:/.test(line))
    .map((line) => line.replace(/, id: \d+$/, ''));
}

async function digHeader(port: number, name: string, type: string): Promise<string[]> {
  const { stdout } = await execFileAsync(dig ?? 'dig', [
    '@127.0.0.1',
    '-p',
    String(port),
    name,
    type,
    '+noall',
    '+comments',
    '+tries=1',
    '+time=2',
  ]);
  return headerLines(stdout);
}

function answerLines(text: string): string[] {
  const lines = text.split('\n');
  const start = lines.indexOf(';; ANSWER SECTION:');
  if (start === -1) return [];
  const end = lines.indexOf('', start);
  return lines.slice(start + 1, end);
}

const lookups = new Lookups();
afterAll(() => lookups.close());

async function expectSameAsDig(port: number, name: string, type: DnsRecordType): Promise<string[]> {
  const result = await lookups.dns(DnsQueryArgs.parse({ name, type, server: `127.0.0.1:${port}` }));
  const ours = answerLines(digText(result));
  const theirs = await digAnswer(port, name, type);
  expect(ours.length).toBeGreaterThan(0);
  expect(ours.map(lineBytes)).toEqual(theirs.map(lineBytes));
  return ours;
}

describe.skipIf(dnsmasqBinary === null)('against dnsmasq on a loopback port', () => {
  let dnsmasq: Dnsmasq;
  const bigStrings = Array.from(
    { length: 30 },
    (_, index) => `--txt-record=big.test,${'x'.repeat(60)}${index}`,
  );

  beforeAll(async () => {
    dnsmasq = await startDnsmasq(dnsmasqBinary ?? 'dnsmasq', [
      // Authoritative for shop.test (NXDOMAIN for names it lacks); other names are local data.
      '--auth-zone=shop.test',
      '--auth-server=ns.shop.test',
      '--auth-ttl=77',
      '--host-record=shop.test,192.0.2.10,2001:db8::10',
      '--txt-record=shop.test,alpha one,beta two',
      '--txt-record=utf8.test,café 中文',
      '--mx-host=shop.test,mail.shop.test,10',
      '--srv-host=_sip._udp.shop.test,sip.shop.test,5060,0,5',
      '--cname=www.shop.test,shop.test',
      '--ptr-record=10.2.0.192.in-addr.arpa,shop.test',
      // CAA 0 issue "letsencrypt.org", as raw record data.
      `--dns-rr=shop.test,257,0005${Buffer.from('issueletsencrypt.org').toString('hex')}`,
      ...bigStrings,
    ]);
  });
  afterAll(async () => dnsmasq?.close());

  it('TTLs for every type, TXT strings each quoted, UTF-8 decoded', async () => {
    const ask = (name: string, type: DnsRecordType) =>
      lookups.dns(DnsQueryArgs.parse({ name, type, server: dnsmasq.server }));
    const txt = await ask('shop.test', 'TXT');
    expect(txt.records.map((record) => record.value)).toEqual(['"alpha one" "beta two"']);
    expect((await ask('utf8.test', 'TXT')).records[0]?.value).toBe('"café 中文"');
    for (const [name, type] of [
      ['shop.test', 'A'],
      ['shop.test', 'AAAA'],
      ['shop.test', 'MX'],
      ['shop.test', 'TXT'],
      ['_sip._udp.shop.test', 'SRV'],
      ['www.shop.test', 'CNAME'],
      ['192.0.2.10', 'PTR'],
    ] as const) {
      const result = await ask(name, type);
      expect(result.records.length, `${type} ${name}`).toBeGreaterThan(0);
      expect(
        result.records.every((record) => record.ttl === 77),
        `${type} ${name}`,
      ).toBe(true);
    }
  });

  it('a TXT set too large for 512 bytes: TC over UDP, then TCP', async () => {
    const result = await lookups.dns(
      DnsQueryArgs.parse({
        name: 'big.test',
        type: 'TXT',
        server: dnsmasq.server,
        ednsBufferSize: 0,
      }),
    );
    expect(result.transport).toBe('tcp');
    expect(result.records).toHaveLength(30);
    expect(result.notes.map((note) => note.text)).toContain(
      'The UDP answer was truncated (TC); the full answer came over TCP.',
    );
  });

  it('NXDOMAIN inside its zone and REFUSED outside it, in words', async () => {
    const ask = (name: string) =>
      lookups.dns(DnsQueryArgs.parse({ name, type: 'A', server: dnsmasq.server }));
    await expect(ask('nothing.shop.test')).rejects.toThrow(
      'No A records for "nothing.shop.test": the name does not exist (NXDOMAIN, rcode 3)',
    );
    await expect(ask('nothing.test')).rejects.toThrow(
      `DNS server ${dnsmasq.server} refused the query: it will not serve this query to us (REFUSED, rcode 5)`,
    );
  });

  describe.skipIf(dig === null)('the header matches dig: status, flags, counts, EDNS', () => {
    it.each([
      ['shop.test', 'A'],
      ['shop.test', 'TXT'],
      ['nothing.shop.test', 'A'],
    ] as const)('%s %s', async (name, type) => {
      const result = await lookups
        .dns(DnsQueryArgs.parse({ name, type, server: dnsmasq.server }))
        .catch((error: unknown) =>
          // An error rcode brings its reply along.
          DnsQueryResult.parse((error as { details?: { reply?: unknown } }).details?.reply),
        );
      const ours = headerLines(digText(result));
      expect(ours).toHaveLength(3);
      expect(ours).toEqual(await digHeader(dnsmasq.port, name, type));
    });
  });

  describe.skipIf(dig === null)('the dig-style text matches dig', () => {
    it.each([
      ['shop.test', 'A'],
      ['shop.test', 'AAAA'],
      ['shop.test', 'TXT'],
      ['utf8.test', 'TXT'],
      ['shop.test', 'MX'],
      ['shop.test', 'CAA'],
      ['_sip._udp.shop.test', 'SRV'],
      ['www.shop.test', 'CNAME'],
      ['10.2.0.192.in-addr.arpa', 'PTR'],
    ] as const)('%s %s', async (name, type) => {
      await expectSameAsDig(dnsmasq.port, name, type);
    });
  });
});

describe.skipIf(dig === null)('the dig-style text matches dig, against our own test server', () => {
  let server: DnsTestServer;
  beforeAll(async () => {
    server = await startDnsServer({
      'zone.test': {
        ttl: 3600,
        NS: ['ns1.zone.test'],
        SOA: [
          {
            mname: 'ns1.zone.test',
            rname: 'hostmaster.zone.test',
            serial: 7,
            refresh: 7200,
            retry: 3600,
            expire: 1209600,
            minimum: 300,
          },
        ],
        TXT: [['quote " and \\ backslash', 'tab\there'], Buffer.from([0x61, 0xff, 0x62])],
        CAA: [{ flags: 128, tag: 'iodef', value: 'mailto:ca@zone.test' }],
      },
      'a-rather-long-owner-name.zone.test': { ttl: 5, A: ['192.0.2.99'] },
      // DNS-SD style names: a space, a dot, a quote and a byte past ASCII inside labels.
      '_ipp._tcp.zone.test': {
        ttl: 120,
        PTR: ['My Printer._ipp._tcp.zone.test', 'Café "2\\.1"._ipp._tcp.zone.test'],
      },
    });
  });
  afterAll(async () => server?.close());

  it.each([
    ['zone.test', 'NS'],
    ['zone.test', 'SOA'],
    ['zone.test', 'TXT'],
    ['zone.test', 'CAA'],
    ['a-rather-long-owner-name.zone.test', 'A'],
    ['_ipp._tcp.zone.test', 'PTR'],
  ] as const)('%s %s', async (name, type) => {
    await expectSameAsDig(server.port, name, type);
  });
});
