import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DnsQueryArgs, DnsQueryResult } from '@shared/contract/dns';
import type { DnsQueryInput } from '@shared/contract/dns';
import { digText } from '@shared/codecs/dig-text';
import { ErrorCode, SockscopeError } from '@shared/errors';
import { Lookups } from '../../../../src/main/engine/lookups/lookups';
import { startDnsServer } from '../../../support/dns-server';
import type { DnsTestServer, ServerMode, Zone } from '../../../support/dns-server';

// The DNS client against our own test server on loopback: every record type
// with its TTL, TXT strings as sent, header flags and sections, UDP → TCP on
// truncation, each rcode, silence and replies that do not match the query.
// Record data uses documentation addresses that are only ever carried as data.

const manyAddresses = Array.from({ length: 80 }, (_, index) => `192.0.2.${index + 1}`);

const zone: Zone = {
  'example.test': {
    ttl: 3600,
    A: ['192.0.2.10'],
    MX: [{ preference: 10, exchange: 'mail.example.test' }],
    TXT: [['alpha one', 'beta two'], 'alpha onebeta two', 'say "hi" \\o/'],
    NS: ['ns1.example.test'],
    SOA: [
      {
        mname: 'ns1.example.test',
        rname: 'hostmaster.example.test',
        serial: 2024010101,
        refresh: 7200,
        retry: 3600,
        expire: 1209600,
        minimum: 300,
      },
    ],
    CAA: [
      { flags: 0, tag: 'issue', value: 'letsencrypt.org' },
      { flags: 128, tag: 'iodef', value: 'mailto:ca@example.test' },
    ],
  },
  'utf8.example.test': {
    ttl: 42,
    TXT: [['café', '中文 DNS'], Buffer.from([0x61, 0xff, 0xfe, 0x22, 0x07])],
    CAA: [{ flags: 0, tag: 'issue', value: 'ça.example' }],
  },
  'v6.example.test': { ttl: 600, AAAA: ['2001:db8::10'] },
  'www.example.test': { ttl: 120, CNAME: ['example.test'] },
  '_sip._udp.example.test': {
    ttl: 60,
    SRV: [{ priority: 0, weight: 5, port: 5060, target: 'sip.example.test' }],
  },
  '10.2.0.192.in-addr.arpa': { ttl: 86400, PTR: ['example.test'] },
  'big.example.test': { ttl: 30, A: manyAddresses },
  'empty.example.test': { A: [] },
};

/** Awaits a promise that must reject with a SockscopeError, and returns that error. */
async function failure(promise: Promise<unknown>): Promise<SockscopeError> {
  const error: unknown = await promise.then(
    () => new Error('expected the query to fail, but it succeeded'),
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(SockscopeError);
  return error as SockscopeError;
}

let server: DnsTestServer;
let lookups: Lookups;

beforeAll(async () => {
  server = await startDnsServer(zone);
  lookups = new Lookups({ systemServers: [server.server] });
});

afterAll(async () => {
  lookups.close();
  await server.close();
});

function ask(input: Omit<DnsQueryInput, 'server'>, to = server): Promise<DnsQueryResult> {
  return lookups.dns(DnsQueryArgs.parse({ server: to.server, ...input }));
}

/** A server of its own for one test, in a mode that misbehaves. */
async function withServer<T>(
  mode: ServerMode,
  run: (misbehaving: DnsTestServer) => Promise<T>,
  tcp = true,
): Promise<T> {
  const misbehaving = await startDnsServer(zone, { mode, tcp });
  try {
    return await run(misbehaving);
  } finally {
    await misbehaving.close();
  }
}

describe('records with TTLs, from our own DNS client', () => {
  it('A: header, question, answer, TTL, server, transport, size and time', async () => {
    const result = await ask({ name: 'example.test', type: 'A' });
    expect(result).toMatchObject({
      path: 'dns-client',
      server: server.server,
      transport: 'udp',
      attempts: 1,
      notes: [],
    });
    const message = result.message!;
    expect(message.rcode).toBe('NOERROR');
    expect(message.opcode).toBe('QUERY');
    expect(message.flags).toEqual({
      qr: true,
      aa: true,
      tc: false,
      rd: true,
      ra: true,
      ad: false,
      cd: false,
    });
    expect(message.question).toEqual([{ name: 'example.test.', type: 'A', class: 'IN' }]);
    expect(message.answer).toEqual([
      {
        name: 'example.test.',
        type: 'A',
        class: 'IN',
        ttl: 3600,
        value: '192.0.2.10',
        fields: { address: '192.0.2.10' },
      },
    ]);
    expect(message.edns).toEqual({ version: 0, udpPayloadSize: 1232, dnssecOk: false });
    expect(result.records).toEqual(message.answer);
    expect(result.replyBytes).toBeGreaterThan(12);
    expect(result.elapsedMs).toBeGreaterThanOrEqual(0);
    expect(result.elapsedMs).toBeLessThan(5000);
  });

  it.each([
    ['v6.example.test', 'AAAA', 600, '2001:db8::10'],
    ['www.example.test', 'CNAME', 120, 'example.test.'],
    ['example.test', 'MX', 3600, '10 mail.example.test.'],
    ['_sip._udp.example.test', 'SRV', 60, '0 5 5060 sip.example.test.'],
    ['example.test', 'NS', 3600, 'ns1.example.test.'],
    [
      'example.test',
      'SOA',
      3600,
      'ns1.example.test. hostmaster.example.test. 2024010101 7200 3600 1209600 300',
    ],
    ['192.0.2.10', 'PTR', 86400, 'example.test.'],
    ['example.test', 'CAA', 3600, '0 issue "letsencrypt.org"'],
  ] as const)('%s %s has TTL %i and data %s', async (name, type, ttl, value) => {
    const result = await ask({ name, type });
    expect(result.records[0]).toMatchObject({ type, ttl, value });
  });

  it('TXT: each string quoted, so two strings and one glued string differ', async () => {
    const result = await ask({ name: 'example.test', type: 'TXT' });
    expect(result.records.map((record) => record.value)).toEqual([
      '"alpha one" "beta two"',
      '"alpha onebeta two"',
      '"say \\"hi\\" \\\\o/"',
    ]);
    expect(result.records[0]?.fields).toEqual({ text: 'alpha onebeta two', strings: 2 });
    expect(result.records.every((record) => record.ttl === 3600)).toBe(true);
  });

  it('TXT and CAA: UTF-8 decoded, other bytes escaped as \\DDD', async () => {
    const txt = await ask({ name: 'utf8.example.test', type: 'TXT' });
    expect(txt.records.map((record) => record.value)).toEqual([
      '"café" "中文 DNS"',
      '"a\\255\\254\\"\\007"',
    ]);
    expect(txt.records[0]?.ttl).toBe(42);
    const caa = await ask({ name: 'utf8.example.test', type: 'CAA' });
    expect(caa.records.map((record) => record.value)).toEqual(['0 issue "ça.example"']);
  });

  it('ANY returns every type the server holds for the name', async () => {
    const result = await ask({ name: 'example.test', type: 'ANY' });
    const types = new Set(result.records.map((record) => record.type));
    expect([...types].sort()).toEqual(['A', 'CAA', 'MX', 'NS', 'SOA', 'TXT']);
  });

  it('a name with no records of the type is NOERROR with an empty answer, said in words', async () => {
    const result = await ask({ name: 'empty.example.test', type: 'A' });
    expect(result.message?.rcode).toBe('NOERROR');
    expect(result.records).toEqual([]);
    expect(result.notes).toMatchObject([{ kind: 'empty-answer', params: { type: 'A' } }]);
    expect(result.notes[0]?.text).toContain('has no A records');
  });
});

describe('query options reach the wire', () => {
  it('RD off, DO on and the EDNS buffer size are sent as asked', async () => {
    await ask({
      name: 'example.test',
      type: 'A',
      recursionDesired: false,
      dnssecOk: true,
      ednsBufferSize: 4096,
    });
    expect(server.received.at(-1)).toMatchObject({
      transport: 'udp',
      recursionDesired: false,
      dnssecOk: true,
      ednsBufferSize: 4096,
    });
    await ask({ name: 'example.test', type: 'A', ednsBufferSize: 0 });
    expect(server.received.at(-1)).toMatchObject({ ednsBufferSize: null, recursionDesired: true });
  });

  it('TCP when the user picks it', async () => {
    const result = await ask({ name: 'example.test', type: 'MX', transport: 'tcp' });
    expect(result.transport).toBe('tcp');
    expect(server.received.at(-1)?.transport).toBe('tcp');
    expect(result.records[0]?.value).toBe('10 mail.example.test.');
  });
});

describe('answers too large for UDP', () => {
  it('TC over UDP, then the whole record set over TCP', async () => {
    const before = server.received.length;
    const result = await ask({ name: 'big.example.test', type: 'A', ednsBufferSize: 0 });
    expect(server.received.slice(before).map((query) => query.transport)).toEqual(['udp', 'tcp']);
    expect(result.transport).toBe('tcp');
    expect(result.records).toHaveLength(80);
    expect(result.replyBytes).toBeGreaterThan(512);
    expect(result.message?.flags.tc).toBe(false);
    expect(result.notes.map((note) => note.text)).toContain(
      'The UDP answer was truncated (TC); the full answer came over TCP.',
    );
    expect(result.attempts).toBe(2);
  });

  it('a big enough EDNS buffer gets it over UDP', async () => {
    const result = await ask({ name: 'big.example.test', type: 'A', ednsBufferSize: 4096 });
    expect(result.transport).toBe('udp');
    expect(result.records).toHaveLength(80);
  });

  it('truncated, and TCP refused: says both', async () => {
    await withServer(
      'answer',
      async (noTcp) => {
        const error = await failure(
          ask({ name: 'big.example.test', type: 'A', ednsBufferSize: 0 }, noTcp),
        );
        expect(error.code).toBe(ErrorCode.lookupTruncated);
        expect(error.message).toBe(
          `The answer from ${noTcp.server} did not fit in UDP (TC set) and TCP could not fetch it: nothing is listening for DNS queries at that address and port (ECONNREFUSED)`,
        );
      },
      false,
    );
  });
});

describe('rcodes in words, with the code beside', () => {
  it.each([
    [
      'formerr',
      ErrorCode.lookupServerFailure,
      'failed: the server answered FORMERR: the server could not understand the query (FORMERR, rcode 1)',
    ],
    [
      'servfail',
      ErrorCode.lookupServerFailure,
      'failed: the server answered SERVFAIL: the server could not resolve the name (SERVFAIL, rcode 2)',
    ],
    [
      'nxdomain',
      ErrorCode.lookupNotFound,
      'No A records for "example.test": the name does not exist (NXDOMAIN, rcode 3)',
    ],
    [
      'notimp',
      ErrorCode.lookupServerFailure,
      'failed: the server answered NOTIMP: the server does not implement this kind of query (NOTIMP, rcode 4)',
    ],
    [
      'refused',
      ErrorCode.lookupRefused,
      'refused the query: it will not serve this query to us (REFUSED, rcode 5)',
    ],
  ] as const)('%s', async (mode, code, words) => {
    await withServer(mode, async (misbehaving) => {
      const error = await failure(ask({ name: 'example.test', type: 'A' }, misbehaving));
      expect(error.code).toBe(code);
      expect(error.message).toContain(words);
      expect(error.details).toMatchObject({
        rcode: mode.toUpperCase(),
        server: misbehaving.server,
      });
      // The reply itself comes along, to be shown as dig shows it.
      const reply = DnsQueryResult.parse(error.details?.reply);
      expect(reply.message?.rcode).toBe(mode.toUpperCase());
      expect(reply.message?.question).toEqual([{ name: 'example.test.', type: 'A', class: 'IN' }]);
    });
  });
});

describe('servers that do not answer, or answer something else', () => {
  it('silence: every try is sent, then a timeout in words', async () => {
    await withServer('silent', async (silent) => {
      const started = performance.now();
      const error = await failure(
        ask({ name: 'example.test', type: 'MX', timeoutMs: 300, retries: 2 }, silent),
      );
      const took = performance.now() - started;
      expect(error.code).toBe(ErrorCode.lookupTimeout);
      expect(error.message).toBe(
        `DNS query MX for "example.test" to ${silent.server} timed out: no reply to 3 tries of 300 ms each over UDP (ETIMEOUT)`,
      );
      expect(silent.received).toHaveLength(3);
      expect(took).toBeGreaterThanOrEqual(850);
      expect(took).toBeLessThan(900 + 2000);
    });
  });

  it('a reply with the wrong id is never accepted: reported as a spoofing sign', async () => {
    await withServer('wrong-id', async (spoofer) => {
      const started = performance.now();
      const error = await failure(
        ask({ name: 'example.test', type: 'A', timeoutMs: 300, retries: 0 }, spoofer),
      );
      // It kept waiting for the real reply until the time was up.
      expect(performance.now() - started).toBeGreaterThanOrEqual(280);
      expect(error.code).toBe(ErrorCode.lookupMismatchedReply);
      expect(error.message).toMatch(/Ignored a reply with id \d+ \(the query's id is \d+\)/);
      expect(error.message).toContain('a sign of spoofing');
    });
  });

  it('a reply for another question is never accepted', async () => {
    await withServer('wrong-question', async (confused) => {
      const error = await failure(
        ask({ name: 'example.test', type: 'A', timeoutMs: 300, retries: 0 }, confused),
      );
      expect(error.code).toBe(ErrorCode.lookupMismatchedReply);
      expect(error.message).toContain(
        'Ignored a reply for other.example.test. A (the query asked example.test A)',
      );
    });
  });

  it('a spoofed reply before the real one: waits for the real one, and says so', async () => {
    await withServer('wrong-id-then-answer', async (spoofed) => {
      const result = await ask({ name: 'example.test', type: 'A' }, spoofed);
      expect(result.records.map((record) => record.value)).toEqual(['192.0.2.10']);
      expect(result.notes).toMatchObject([{ kind: 'ignored-replies', params: { count: 1 } }]);
      expect(result.notes[0]?.text).toMatch(/Ignored a reply with id \d+.*sign of spoofing/);
    });
  });

  it('close() cancels a query in flight', async () => {
    await withServer('silent', async (silent) => {
      const local = new Lookups();
      const pending = failure(
        local.dns(
          DnsQueryArgs.parse({ name: 'example.test', server: silent.server, timeoutMs: 10_000 }),
        ),
      );
      setTimeout(() => local.close(), 100);
      const error = await pending;
      expect(error.code).toBe(ErrorCode.engineClosed);
    });
  });
});

describe('dig-style text', () => {
  it('has dig header, sections and record lines', async () => {
    const result = await ask({ name: 'www.example.test', type: 'CNAME' });
    const text = digText(result);
    const [host, port] = [server.address, String(server.port)];
    expect(text).toContain(`; <<>> sockscope <<>> @${host} -p ${port} www.example.test CNAME`);
    expect(text).toMatch(/;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: \d+/);
    expect(text).toContain(
      ';; flags: qr aa rd ra; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1',
    );
    expect(text).toContain('; EDNS: version: 0, flags:; udp: 1232');
    expect(text).toContain(';www.example.test.\t\tIN\tCNAME');
    expect(text).toContain('www.example.test.\t120\tIN\tCNAME\texample.test.');
    expect(text).toContain(`;; SERVER: ${host}#${port}(${host}) (UDP)`);
    expect(text).toContain(`;; MSG SIZE  rcvd: ${result.replyBytes}`);
  });
});
