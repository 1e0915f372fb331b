import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, SockscopeError } from '@shared/errors';
import { BUILTIN_SERVICES_TEXT } from '../../../../src/main/engine/lookups/services-builtin';
import {
  ServicesDatabase,
  defaultServicesPath,
  parseServicesFile,
} from '../../../../src/main/engine/lookups/services-db';

let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sockscope-services-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes a fixture into the test's temp dir and returns its path. */
async function fixture(name: string, content: string | Uint8Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

/** The malformed lines a services file holds, as the database's parser reports them. */
async function problemsIn(path: string): Promise<string[]> {
  return parseServicesFile(await readFile(path, 'utf8')).problems;
}

/** Runs `fn` and returns the SockscopeError it throws. */
function thrown(fn: () => unknown): SockscopeError {
  try {
    fn();
  } catch (error) {
    if (error instanceof SockscopeError) return error;
    throw error;
  }
  throw new Error('expected a SockscopeError, nothing was thrown');
}

const names = (db: ServicesDatabase, prefix: string, protocol: 'any' | 'tcp' | 'udp', limit = 50) =>
  db.search(prefix, protocol, limit).entries.map((entry) => entry.name);

describe.skipIf(!existsSync('/etc/services'))("this machine's /etc/services", () => {
  it('is read as the system database, with the usual entries', async () => {
    const db = await ServicesDatabase.load();
    expect(db.source()).toMatchObject({ kind: 'system', path: '/etc/services', problem: null });
    expect(db.source().entries).toBeGreaterThan(50);

    const http = db.byName('http', 'tcp').entry;
    expect(http).toMatchObject({ name: 'http', port: 80, protocol: 'tcp' });
    expect(http.aliases).toContain('www');
    expect(db.byName('domain', 'udp').entry).toMatchObject({ port: 53, protocol: 'udp' });
    expect(db.byName('https', 'tcp').entry.port).toBe(443);
    expect(db.byPort(80, 'tcp').entry.name).toBe('http');
    expect(db.byName('www', 'tcp').entry.name).toBe('http');
  });

  it('parses with no problems', async () => {
    expect(await problemsIn('/etc/services')).toEqual([]);
  });
});

describe('parseServicesFile', () => {
  it('reads names, ports, protocols, aliases and comments; skips blanks and comments', () => {
    const text = [
      '# a comment line',
      '',
      '   ',
      'http\t\t80/tcp\t\twww www-http\t# World Wide Web',
      'ssh 22/tcp',
      'glued 7/udp alias#no space before the comment',
      '\t# indented comment',
      'sctponly 9/sctp',
      'nocomment 10/tcp #',
    ].join('\n');
    const { entries, problems } = parseServicesFile(text);
    expect(problems).toEqual([]);
    expect(entries).toEqual([
      {
        name: 'http',
        port: 80,
        protocol: 'tcp',
        aliases: ['www', 'www-http'],
        comment: 'World Wide Web',
      },
      { name: 'ssh', port: 22, protocol: 'tcp', aliases: [], comment: null },
      {
        name: 'glued',
        port: 7,
        protocol: 'udp',
        aliases: ['alias'],
        comment: 'no space before the comment',
      },
      { name: 'sctponly', port: 9, protocol: 'sctp', aliases: [], comment: null },
      { name: 'nocomment', port: 10, protocol: 'tcp', aliases: [], comment: null },
    ]);
  });

  it('reports each malformed line by number and keeps the good ones', () => {
    const text = [
      'good 1/tcp',
      'badport abc/tcp',
      'noproto 25',
      'toobig 70000/tcp',
      'emptyproto 26/',
      'lonely',
      'bad$name 27/tcp',
      'good2 2/udp',
      '-dash 28/tcp',
      'negative -1/tcp',
    ].join('\n');
    const { entries, problems } = parseServicesFile(text);
    expect(entries.map((entry) => entry.name)).toEqual(['good', 'good2']);
    expect(problems).toHaveLength(8);
    expect(problems[0]).toMatch(/^line 2: port "abc" is not a number/);
    expect(problems[1]).toMatch(/^line 3: .*"noproto".*missing protocol/);
    expect(problems[2]).toMatch(/^line 4: port "70000" is out of range/);
    expect(problems[3]).toMatch(/^line 5: .*no protocol/);
    expect(problems[4]).toMatch(/^line 6: "lonely" has no port\/protocol/);
    expect(problems[5]).toMatch(/^line 7: name "bad\$name"/);
    expect(problems[6]).toMatch(/^line 9: name "-dash"/);
    expect(problems[7]).toMatch(/^line 10: port "-1" is not a number/);
  });

  it('accepts the edges of the port range', () => {
    const { entries, problems } = parseServicesFile('zero 0/tcp\nmax 65535/udp\nover 65536/udp');
    expect(entries.map((entry) => entry.port)).toEqual([0, 65535]);
    expect(problems).toEqual(['line 3: port "65536" is out of range (0 to 65535)']);
  });

  it('drops a bad alias but keeps its entry', () => {
    const { entries, problems } = parseServicesFile('svc 5/tcp ok b@d fine');
    expect(entries[0]?.aliases).toEqual(['ok', 'fine']);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^line 1: alias "b@d" .*alias skipped/);
  });

  it('handles CRLF line endings and a byte-order mark', () => {
    const text = '\uFEFF# header\r\nhttp 80/tcp www # web\r\ndomain 53/udp\r\n\r\n';
    const { entries, problems } = parseServicesFile(text);
    expect(problems).toEqual([]);
    expect(entries).toEqual([
      { name: 'http', port: 80, protocol: 'tcp', aliases: ['www'], comment: 'web' },
      { name: 'domain', port: 53, protocol: 'udp', aliases: [], comment: null },
    ]);
  });

  it('survives a huge line and quotes only the start of it', () => {
    const huge = 'x'.repeat(2_000_000);
    const { entries, problems } = parseServicesFile(`${huge} 1/tcp\nok 2/tcp\n1 ${huge}/tcp`);
    expect(entries.map((entry) => entry.name)).toEqual(['ok']);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^line 1: name "x+…" is longer than 64 characters/);
    for (const problem of problems) expect(problem.length).toBeLessThan(200);
  });

  it('lists the first hundred problems and counts the rest', () => {
    const text = Array.from({ length: 250 }, (_, i) => `bad${i} nope`).join('\n');
    const { entries, problems } = parseServicesFile(text);
    expect(entries).toEqual([]);
    expect(problems).toHaveLength(101);
    expect(problems[99]).toMatch(/^line 100: /);
    expect(problems[100]).toBe('… and 150 more problems not listed');
  });

  it('never throws on binary junk', () => {
    // A fixed pseudo-random stream, so a failure can be reproduced.
    let seed = 12345;
    const junk = new Uint8Array(64 * 1024);
    for (let i = 0; i < junk.length; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      junk[i] = seed >>> 24;
    }
    const text = new TextDecoder().decode(junk);
    const { problems } = parseServicesFile(text);
    for (const problem of problems) expect(problem).toMatch(/^(line \d+: |… and \d+ more)/);
  });
});

describe('ServicesDatabase.load', () => {
  it('uses a file with some malformed lines and remembers the problems', async () => {
    const path = await fixture(
      'mixed',
      'echo 7/tcp\nbroken 7000000/tcp\nmissing 8\necho 7/udp\nfoo bar/tcp\n',
    );
    const db = await ServicesDatabase.load(path);
    expect(db.source()).toEqual({ kind: 'system', path, entries: 2, problem: null });
    const problems = await problemsIn(path);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^line 2: /);
    expect(problems[1]).toMatch(/^line 3: /);
    expect(problems[2]).toMatch(/^line 5: /);
    expect(db.byName('echo', 'udp').entry.port).toBe(7);
  });

  it('reads a CRLF file', async () => {
    const path = await fixture('crlf', 'http 80/tcp www\r\nhttp 80/udp www\r\n');
    const db = await ServicesDatabase.load(path);
    expect(await problemsIn(path)).toEqual([]);
    expect(db.byName('www', 'udp').entry).toEqual({
      name: 'http',
      port: 80,
      protocol: 'udp',
      aliases: ['www'],
      comment: null,
    });
  });

  it('falls back to the built-in table when the file is missing', async () => {
    const db = await ServicesDatabase.load('/nope/services');
    expect(db.source()).toMatchObject({
      kind: 'builtin',
      path: null,
      problem: 'cannot read /nope/services: no such file (ENOENT)',
    });
    expect(db.source().entries).toBeGreaterThanOrEqual(150);
    expect(db.byName('http', 'tcp').entry.port).toBe(80);
  });

  it('falls back when the path is a directory', async () => {
    const path = join(dir, 'a-directory');
    await mkdir(path);
    const db = await ServicesDatabase.load(path);
    expect(db.source().kind).toBe('builtin');
    expect(db.source().problem).toBe(`cannot read ${path}: it is a directory`);
  });

  it('falls back when a part of the path is not a directory', async () => {
    const file = await fixture('plain-file', 'x 1/tcp\n');
    const db = await ServicesDatabase.load(join(file, 'services'));
    expect(db.source().kind).toBe('builtin');
    expect(db.source().problem).toMatch(/not a directory \(ENOTDIR\)$/);
  });

  it('falls back when the file is empty', async () => {
    const path = await fixture('empty', '');
    const db = await ServicesDatabase.load(path);
    expect(db.source()).toMatchObject({
      kind: 'builtin',
      problem: `${path} has no service entries`,
    });
  });

  it('falls back when every line is malformed, naming the first problem', async () => {
    const path = await fixture('all-bad', '# only junk\nfoo bar\nbaz 99999/tcp\n');
    const db = await ServicesDatabase.load(path);
    expect(db.source().kind).toBe('builtin');
    expect(db.source().problem).toBe(
      `${path} has no valid service entries (first problem: line 2: expected port/protocol after "foo", found "bar" (missing protocol))`,
    );
  });

  it('falls back on a file of binary junk without throwing', async () => {
    const junk = Uint8Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) % 256);
    const path = await fixture('junk.bin', junk);
    const db = await ServicesDatabase.load(path);
    // Junk could by chance hold a valid line; either way the load must succeed.
    expect(['system', 'builtin']).toContain(db.source().kind);
    if (db.source().kind === 'builtin') expect(db.source().problem).toContain(path);
  });

  it('reads binary junk with a good line in it as a system file', async () => {
    const junk = new Uint8Array([0, 1, 2, 0xff, 0xfe, 10, 0x80, 0x81, 13, 10]);
    const good = new TextEncoder().encode('good 4242/tcp gd\n');
    const path = await fixture('junk-and-good', new Uint8Array([...junk, ...good, ...junk]));
    const db = await ServicesDatabase.load(path);
    expect(db.source()).toMatchObject({ kind: 'system', entries: 1 });
    expect(db.byPort(4242, 'tcp').entry.aliases).toEqual(['gd']);
    const problems = await problemsIn(path);
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) expect(problem).toMatch(/^line \d+: /);
  });
});

describe('byName and byPort', () => {
  let db: ServicesDatabase;
  let path = '';
  beforeAll(async () => {
    path = await fixture(
      'lookups',
      [
        'http 80/tcp www # web',
        'http 80/udp www',
        'Mixed 1000/tcp',
        'mixed 1001/tcp',
        'first 2000/tcp',
        'second 2000/tcp first-alias',
        'onlytcp 3000/tcp',
        'onlyudp 3001/udp',
      ].join('\n'),
    );
    db = await ServicesDatabase.load(path);
  });

  it('finds a name, an alias, and returns the source', () => {
    expect(db.byName('http', 'tcp')).toEqual({
      entry: { name: 'http', port: 80, protocol: 'tcp', aliases: ['www'], comment: 'web' },
      source: { kind: 'system', path, entries: 8, problem: null },
    });
    expect(db.byName('www', 'udp').entry).toMatchObject({ name: 'http', protocol: 'udp' });
  });

  it('matches exact case first, then any case', () => {
    expect(db.byName('mixed', 'tcp').entry.port).toBe(1001);
    expect(db.byName('Mixed', 'tcp').entry.port).toBe(1000);
    expect(db.byName('MIXED', 'tcp').entry.port).toBe(1000);
    expect(db.byName('HTTP', 'tcp').entry.name).toBe('http');
    expect(db.byName('WWW', 'tcp').entry.name).toBe('http');
  });

  it('returns the first entry for a port, as getservbyport does', () => {
    expect(db.byPort(2000, 'tcp').entry.name).toBe('first');
    expect(db.byPort(80, 'udp').entry.name).toBe('http');
  });

  it('returns copies, so callers cannot change the database', () => {
    db.byName('http', 'tcp').entry.aliases.push('changed');
    db.byName('http', 'tcp').source.entries = 0;
    expect(db.byName('http', 'tcp').entry.aliases).toEqual(['www']);
    expect(db.source().entries).toBe(8);
  });

  it('says a name is missing in getservbyname words, naming the file', () => {
    const error = thrown(() => db.byName('foo', 'udp'));
    expect(error.code).toBe(ErrorCode.serviceNotFound);
    expect(error.message).toBe(`No service named "foo" for udp in ${path}`);
    expect(error.details).toEqual({ name: 'foo', protocol: 'udp', path });
  });

  it('hints when the name exists for the other protocol', () => {
    const error = thrown(() => db.byName('onlytcp', 'udp'));
    expect(error.code).toBe(ErrorCode.serviceNotFound);
    expect(error.message).toBe(
      `No service named "onlytcp" for udp in ${path} (it is listed for tcp, port 3000)`,
    );
  });

  it('says a port is missing, with a hint for the other protocol', () => {
    const missing = thrown(() => db.byPort(9999, 'tcp'));
    expect(missing.code).toBe(ErrorCode.serviceNotFound);
    expect(missing.message).toBe(`No service on port 9999/tcp in ${path}`);
    expect(missing.details).toEqual({ port: 9999, protocol: 'tcp', path });
    expect(thrown(() => db.byPort(3001, 'tcp')).message).toBe(
      `No service on port 3001/tcp in ${path} (udp port 3001 is "onlyudp")`,
    );
  });

  it('refuses a port outside 0..65535', () => {
    for (const port of [-1, 65536, 1.5, Number.NaN]) {
      expect(thrown(() => db.byPort(port, 'tcp')).code).toBe(ErrorCode.invalidArgs);
    }
  });

  it('names the built-in table when that is the source', () => {
    const builtin = ServicesDatabase.builtin();
    const error = thrown(() => builtin.byName('no-such-service', 'tcp'));
    expect(error.message).toBe('No service named "no-such-service" for tcp in the built-in table');
    expect(error.details).toEqual({ name: 'no-such-service', protocol: 'tcp', path: null });
    expect(thrown(() => builtin.byPort(4, 'tcp')).message).toBe(
      'No service on port 4/tcp in the built-in table',
    );
  });
});

describe('search', () => {
  const builtin = ServicesDatabase.builtin();

  it('offers http, https, http-alt for "htt", shortest first, tcp before udp', () => {
    const found = builtin.search('htt', 'any', 20).entries;
    expect(found.slice(0, 6).map((entry) => `${entry.name}/${entry.protocol}`)).toEqual([
      'http/tcp',
      'http/udp',
      'https/tcp',
      'https/udp',
      'http-alt/tcp',
      'http-alt/udp',
    ]);
    expect(builtin.search('HTT', 'tcp', 20).entries.map((entry) => entry.name)).toEqual([
      'http',
      'https',
      'http-alt',
    ]);
  });

  it('puts an exact match first, even when a shorter name matches', async () => {
    const path = await fixture(
      'exact',
      'abcd 1/tcp\nabc 2/tcp ab-long\nab-long-er 3/tcp\nab 4/tcp\n',
    );
    const db = await ServicesDatabase.load(path);
    expect(names(db, 'ab', 'tcp')).toEqual(['ab', 'abc', 'abcd', 'ab-long-er']);
    // "abc" matched through its alias "ab-long", which is exact here.
    expect(names(db, 'ab-long', 'tcp')).toEqual(['abc', 'ab-long-er']);
  });

  it('matches aliases', () => {
    expect(names(builtin, 'ww', 'tcp')).toEqual(['http']);
    expect(names(builtin, 'vnc', 'tcp')).toEqual(['rfb']);
  });

  it('matches ports for a numeric prefix, exact port first', () => {
    const found = builtin.search('80', 'tcp', 50).entries;
    expect(found[0]).toMatchObject({ name: 'http', port: 80 });
    expect(found.map((entry) => entry.port)).toEqual([80, 8080]);
    for (const entry of found) expect(String(entry.port).startsWith('80')).toBe(true);
    expect(names(builtin, '5683', 'udp')).toEqual(['coap']);
  });

  it('filters by protocol', () => {
    expect(names(builtin, 'syslog', 'udp')).toEqual(['syslog', 'syslog-conn']);
    expect(names(builtin, 'syslog', 'tcp')).toEqual(['syslog-tls', 'syslog-conn']);
    for (const entry of builtin.search('s', 'udp', 200).entries) expect(entry.protocol).toBe('udp');
  });

  it('honours the limit', () => {
    expect(builtin.search('s', 'any', 3).entries).toHaveLength(3);
    expect(builtin.search('', 'any', 200).entries).toHaveLength(200);
    expect(builtin.search('http', 'tcp', 1).entries.map((entry) => entry.name)).toEqual(['http']);
  });

  it('lists by port for an empty prefix', () => {
    const found = builtin.search('', 'tcp', 5).entries;
    expect(found.map((entry) => entry.port)).toEqual([1, 7, 9, 11, 13]);
    const ports = builtin.search('', 'any', 200).entries.map((entry) => entry.port);
    expect(ports).toEqual([...ports].sort((a, b) => a - b));
  });

  it('returns nothing for an unknown prefix, with the source', () => {
    expect(builtin.search('zzzz', 'any', 10)).toEqual({ entries: [], source: builtin.source() });
  });
});

describe('the built-in table', () => {
  const parsed = parseServicesFile(BUILTIN_SERVICES_TEXT);

  it('parses with no problems and has at least 150 entries', () => {
    expect(parsed.problems).toEqual([]);
    expect(parsed.entries.length).toBeGreaterThanOrEqual(150);
    expect(ServicesDatabase.builtin().source()).toEqual({
      kind: 'builtin',
      path: null,
      entries: parsed.entries.length,
      problem: null,
    });
  });

  it('has no duplicate name/protocol pair and no name or alias used twice per protocol', () => {
    const seen = new Map<string, string>();
    for (const entry of parsed.entries) {
      for (const name of [entry.name, ...entry.aliases]) {
        const key = `${name.toLowerCase()}/${entry.protocol}`;
        expect(seen.get(key), `${key} on ${entry.name}`).toBeUndefined();
        seen.set(key, entry.name);
      }
    }
  });

  it('has one entry per port and protocol', () => {
    const keys = parsed.entries.map((entry) => `${entry.port}/${entry.protocol}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('holds the common services at their IANA ports', () => {
    const db = ServicesDatabase.builtin();
    const expected: [string, number, 'tcp' | 'udp'][] = [
      ['echo', 7, 'udp'],
      ['discard', 9, 'tcp'],
      ['daytime', 13, 'tcp'],
      ['ftp-data', 20, 'tcp'],
      ['ftp', 21, 'tcp'],
      ['ssh', 22, 'tcp'],
      ['telnet', 23, 'tcp'],
      ['smtp', 25, 'tcp'],
      ['time', 37, 'udp'],
      ['domain', 53, 'udp'],
      ['domain', 53, 'tcp'],
      ['tftp', 69, 'udp'],
      ['gopher', 70, 'tcp'],
      ['finger', 79, 'tcp'],
      ['www', 80, 'tcp'],
      ['kerberos', 88, 'udp'],
      ['pop3', 110, 'tcp'],
      ['sunrpc', 111, 'udp'],
      ['nntp', 119, 'tcp'],
      ['ntp', 123, 'udp'],
      ['netbios-ns', 137, 'udp'],
      ['netbios-dgm', 138, 'udp'],
      ['netbios-ssn', 139, 'tcp'],
      ['imap', 143, 'tcp'],
      ['snmp', 161, 'udp'],
      ['snmp-trap', 162, 'udp'],
      ['bgp', 179, 'tcp'],
      ['ldap', 389, 'tcp'],
      ['https', 443, 'tcp'],
      ['https', 443, 'udp'],
      ['microsoft-ds', 445, 'tcp'],
      ['modbus', 502, 'tcp'],
      ['syslog', 514, 'udp'],
      ['submission', 587, 'tcp'],
      ['ldaps', 636, 'tcp'],
      ['rsync', 873, 'tcp'],
      ['imaps', 993, 'tcp'],
      ['pop3s', 995, 'tcp'],
      ['openvpn', 1194, 'udp'],
      ['mqtt', 1883, 'tcp'],
      ['mysql', 3306, 'tcp'],
      ['sip', 5060, 'udp'],
      ['sips', 5061, 'tcp'],
      ['xmpp-client', 5222, 'tcp'],
      ['postgresql', 5432, 'tcp'],
      ['amqp', 5672, 'tcp'],
      ['coap', 5683, 'udp'],
      ['vnc', 5900, 'tcp'],
      ['redis', 6379, 'tcp'],
      ['http-alt', 8080, 'tcp'],
      ['secure-mqtt', 8883, 'tcp'],
      ['mongodb', 27017, 'tcp'],
    ];
    for (const [name, port, protocol] of expected) {
      expect(db.byName(name, protocol).entry.port, `${name}/${protocol}`).toBe(port);
    }
  });
});

describe('defaultServicesPath', () => {
  it('is /etc/services on Unix-likes', () => {
    expect(defaultServicesPath('linux')).toBe('/etc/services');
    expect(defaultServicesPath('darwin')).toBe('/etc/services');
  });

  it('is under %SystemRoot% on Windows', () => {
    const saved = process.env.SystemRoot;
    try {
      process.env.SystemRoot = 'D:\\Win';
      expect(defaultServicesPath('win32')).toBe('D:\\Win\\System32\\drivers\\etc\\services');
      delete process.env.SystemRoot;
      expect(defaultServicesPath('win32')).toBe('C:\\Windows\\System32\\drivers\\etc\\services');
    } finally {
      if (saved === undefined) delete process.env.SystemRoot;
      else process.env.SystemRoot = saved;
    }
  });
});
