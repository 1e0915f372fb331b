import { describe, expect, it } from 'vitest';
import { hostNameProblem, ipFamily, isIPv4, isIPv6, parseHostPort, parseIPv6 } from '@shared/ip';

describe('isIPv4', () => {
  it.each(['0.0.0.0', '1.2.3.4', '127.0.0.1', '255.255.255.255', '10.0.100.199'])(
    'accepts %s',
    (text) => expect(isIPv4(text)).toBe(true),
  );

  it.each([
    '',
    '1.2.3',
    '1.2.3.4.5',
    '1.2.3.256',
    '256.1.1.1',
    '01.2.3.4', // a leading zero reads as octal to some parsers
    '1.2.3.-4',
    '1.2.3.4 ',
    ' 1.2.3.4',
    '1.2.3.4\n',
    '1..3.4',
    'a.b.c.d',
    '1.2.3.4/24',
    '::1',
  ])('rejects %j', (text) => expect(isIPv4(text)).toBe(false));
});

describe('isIPv6', () => {
  it.each([
    '::',
    '::1',
    '1::',
    '1:2:3:4:5:6:7:8',
    '2001:db8::8a2e:370:7334',
    'FE80::ABCD',
    '1:2:3:4:5:6:7::',
    '::2:3:4:5:6:7:8',
    '::ffff:1.2.3.4',
    '64:ff9b::192.0.2.33',
    '1:2:3:4:5:6:1.2.3.4',
    'fe80::1%eth0',
    'fe80::1%12',
    'ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255',
  ])('accepts %s', (text) => expect(isIPv6(text)).toBe(true));

  it.each([
    '',
    ':',
    ':::',
    '1::2::3',
    '12345::',
    '1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7:8::',
    '1::2:3:4:5:6:7:8',
    ':1::2',
    '1::2:',
    ':1:2:3:4:5:6:7',
    'g::1',
    '::ffff:1.2.3.256',
    '::ffff:1.2.3',
    '1.2.3.4::',
    '1:2:3:4:5:6:7:1.2.3.4',
    'fe80::1%',
    'fe80::1%eth 0',
    'fe80::1%eth0%1',
    '1.2.3.4',
    '[::1]',
    ' ::1',
  ])('rejects %j', (text) => expect(isIPv6(text)).toBe(false));
});

describe('ipFamily', () => {
  it('tells 4, 6 and neither apart', () => {
    expect(ipFamily('1.2.3.4')).toBe(4);
    expect(ipFamily('::1')).toBe(6);
    expect(ipFamily('::ffff:1.2.3.4')).toBe(6);
    expect(ipFamily('example.com')).toBe(0);
    expect(ipFamily('')).toBe(0);
  });
});

describe('hostNameProblem', () => {
  it.each([
    'localhost',
    'example.com',
    'example.com.',
    'a-b.c_d.example',
    'xn--bcher-kva.example',
    `${'a'.repeat(63)}.com`,
    '1.2.3.4',
    '::1',
    'fe80::1%eth0',
  ])('accepts %s', (text) => expect(hostNameProblem(text)).toBeNull());

  it('says an empty name must not be empty', () => {
    expect(hostNameProblem('')).toBe('must not be empty');
  });

  it('gives the position of a space', () => {
    expect(hostNameProblem('exa mple.com')).toBe('contains a space at position 4');
    expect(hostNameProblem(' example.com')).toBe('contains a space at position 1');
    expect(hostNameProblem('example.com\t')).toBe('contains a space at position 12');
  });

  it('names a character that cannot be in a host name, and where', () => {
    expect(hostNameProblem('exa$mple.com')).toBe(
      'has a character that cannot be in a host name ("$") at position 4',
    );
    expect(hostNameProblem('caf\u00e9.example')).toBe(
      'has a character that cannot be in a host name ("\u00e9") at position 4',
    );
  });

  it('treats a colon as a failed IPv6 address', () => {
    expect(hostNameProblem('1::2::3')).toBe('is not a valid IPv6 address');
    expect(hostNameProblem('host:53')).toBe('is not a valid IPv6 address');
  });

  it('refuses a label longer than 63 characters', () => {
    expect(hostNameProblem(`${'a'.repeat(64)}.com`)).toBe(
      'has a label of 64 characters; a label has at most 63',
    );
  });

  it('refuses a name longer than 253 characters', () => {
    const long = Array.from({ length: 5 }, () => 'a'.repeat(60)).join('.');
    expect(long.length).toBe(304);
    expect(hostNameProblem(long)).toBe('is 304 characters long; a host name has at most 253');
  });

  it('refuses empty labels', () => {
    const message = 'has an empty label (two dots in a row, or a leading dot)';
    expect(hostNameProblem('a..b')).toBe(message);
    expect(hostNameProblem('.example.com')).toBe(message);
    expect(hostNameProblem('.')).toBe(message);
    expect(hostNameProblem('example.com..')).toBe(message);
  });
});

describe('parseHostPort', () => {
  it.each([
    ['1.2.3.4', { host: '1.2.3.4', port: null }],
    ['1.2.3.4:53', { host: '1.2.3.4', port: 53 }],
    ['  1.2.3.4:53  ', { host: '1.2.3.4', port: 53 }],
    ['example.com:8080', { host: 'example.com', port: 8080 }],
    ['example.com', { host: 'example.com', port: null }],
    ['[::1]:5353', { host: '::1', port: 5353 }],
    ['[::1]', { host: '::1', port: null }],
    ['::1', { host: '::1', port: null }],
    ['2001:db8::53', { host: '2001:db8::53', port: null }],
    ['[fe80::1%eth0]:53', { host: 'fe80::1%eth0', port: 53 }],
    ['host:1', { host: 'host', port: 1 }],
    ['host:65535', { host: 'host', port: 65535 }],
  ])('splits %j', (text, expected) => expect(parseHostPort(text)).toEqual(expected));

  it.each([
    ['', 'must not be empty'],
    ['   ', 'must not be empty'],
    ['host:0', 'port 0 is out of range (1 to 65535)'],
    ['host:65536', 'port 65536 is out of range (1 to 65535)'],
    ['host:', 'port "" is not a number from 1 to 65535'],
    ['host:abc', 'port "abc" is not a number from 1 to 65535'],
    ['host:123456', 'port "123456" is not a number from 1 to 65535'],
    ['host:-1', 'port "-1" is not a number from 1 to 65535'],
    ['[::1', 'has "[" without a closing "]"'],
    ['[::1]53', 'expects ":port" after "]"'],
    ['[::1]:0', 'port 0 is out of range (1 to 65535)'],
    ['[1.2.3.4]:53', '"1.2.3.4" is not an IPv6 address'],
    ['[]:53', '"" is not an IPv6 address'],
    ['a:b:c', 'is not a valid IPv6 address (write [address]:port)'],
    ['1::2::3', 'is not a valid IPv6 address (write [address]:port)'],
    [':53', 'has no host before ":port"'],
  ])('refuses %j', (text, problem) => expect(parseHostPort(text)).toBe(problem));
});

describe('parseIPv6', () => {
  it('gives the eight groups, expanding :: and an IPv4 tail, dropping a zone', () => {
    expect(parseIPv6('::1')).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
    expect(parseIPv6('2001:db8::ff00:42:8329')).toEqual([
      0x2001, 0xdb8, 0, 0, 0, 0xff00, 0x42, 0x8329,
    ]);
    expect(parseIPv6('::ffff:192.0.2.1')).toEqual([0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0201]);
    expect(parseIPv6('fe80::1%eth0')).toEqual([0xfe80, 0, 0, 0, 0, 0, 0, 1]);
    expect(parseIPv6('1:2:3:4:5:6:7:8')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('refuses what is not an IPv6 address', () => {
    for (const text of ['1.2.3.4', '1:2:3:4:5:6:7:8:9', '1::2::3', '::g', '1:2:3:4:5:6:7::8', ':'])
      expect(parseIPv6(text), text).toBeNull();
  });
});
