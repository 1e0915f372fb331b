import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  encodePayload,
  fromBase64,
  isCodecProblem,
  lineEndingBytes,
  parseBase64,
  parseHex,
  payloadProblem,
  toBase64,
} from '@shared/codecs/payload';
import type { PayloadInput } from '@shared/codecs/payload';
import { Payload } from '@shared/contract/payload';
import { SockscopeError } from '@shared/errors';

/** Lowercase contiguous hex of bytes, or the problem when parsing failed. */
function hex(value: Uint8Array | { problem: string; position: number }): string {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  throw new Error(`expected bytes, got problem: ${value.problem}`);
}

/** A stand-in for the engine's encoder: UTF-8 for every charset, and it refuses "☃". */
function testEncoder(text: string): Uint8Array {
  const index = text.indexOf('☃');
  if (index !== -1) {
    throw new SockscopeError('ERR_INVALID_ARGS', 'refused', {
      position: index + 1,
      character: '☃',
    });
  }
  return new TextEncoder().encode(text);
}

function payload(
  format: PayloadInput['format'],
  text: string,
  more: Partial<PayloadInput> = {},
): PayloadInput {
  return { format, text, charset: 'utf-8', lineEnding: 'none', ...more };
}

describe('parseHex', () => {
  it.each([
    ['68 65', '6865'],
    ['0x68,0x65', '6865'],
    ['0X68, 0x65', '6865'],
    ['6865', '6865'],
    ['68656c', '68656c'],
    ['68:65:6C', '68656c'],
    ['68\t65', '6865'],
    ['68 65\n6c 6c\r\n6f', '68656c6c6f'],
    ['  68  65  \n', '6865'],
    ['0x6865 0xff', '6865ff'],
    ['DEADbeef', 'deadbeef'],
    ['', ''],
    [' \n\t,', ''],
  ])('reads %j', (text, expected) => {
    expect(hex(parseHex(text))).toBe(expected);
  });

  it('refuses an odd digit count, naming the count and the digit left without a pair', () => {
    expect(parseHex('68656c6')).toEqual({
      problem: 'odd number of hex digits (7): the digit at position 7 has no pair',
      position: 7,
    });
    expect(parseHex('  6')).toEqual({
      problem: 'odd number of hex digits (1): the digit at position 3 has no pair',
      position: 3,
    });
  });

  it('pairs digits within a group only, so a split byte is refused rather than guessed', () => {
    expect(parseHex('68 65 6c 6')).toEqual({
      problem:
        'odd number of hex digits (1) in the group at position 10: the digit at position 10 has no pair',
      position: 10,
    });
    expect(parseHex('686 565')).toEqual({
      problem:
        'odd number of hex digits (3) in the group at position 1: the digit at position 3 has no pair',
      position: 3,
    });
    expect(parseHex('0x68,0x6')).toMatchObject({ position: 8 });
  });

  it('refuses a stray character with its position', () => {
    expect(parseHex('686g')).toEqual({
      problem: '"g" at position 4 is not a hex digit',
      position: 4,
    });
    expect(parseHex('6g')).toEqual({
      problem: '"g" at position 2 is not a hex digit',
      position: 2,
    });
    expect(parseHex('68 65 zz')).toMatchObject({ position: 7 });
    expect(parseHex('680x65')).toEqual({
      problem: '"x" at position 4 is not a hex digit',
      position: 4,
    });
    expect(parseHex('68;65')).toMatchObject({ problem: '";" at position 3 is not a hex digit' });
    expect(parseHex('68 é')).toMatchObject({ problem: '"é" at position 4 is not a hex digit' });
    expect(parseHex('68 😀')).toMatchObject({ problem: '"😀" at position 4 is not a hex digit' });
    expect(parseHex('68\u000065')).toMatchObject({
      problem: 'U+0000 at position 3 is not a hex digit',
    });
  });

  it('refuses a 0x prefix with nothing after it', () => {
    expect(parseHex('0x68 0x')).toEqual({
      problem: '"0x" at position 6 has no hex digits after it',
      position: 6,
    });
    expect(parseHex('0X,68')).toMatchObject({ position: 1 });
    expect(parseHex('0xg1')).toMatchObject({ problem: '"g" at position 3 is not a hex digit' });
  });

  it('reports the first problem in reading order', () => {
    expect(parseHex('6 g')).toMatchObject({ position: 1 });
    expect(parseHex('g 6')).toMatchObject({ position: 1, problem: expect.stringContaining('"g"') });
  });

  it('returns bytes that own their memory exactly', () => {
    const bytes = parseHex('01 02 03') as Uint8Array;
    expect(bytes.byteLength).toBe(3);
    expect(bytes.buffer.byteLength).toBe(3);
  });
});

describe('text with escapes', () => {
  /** The bytes a text payload sends (UTF-8), as hex. */
  const sent = (text: string): string =>
    Buffer.from(encodePayload(payload('text', text), testEncoder)).toString('hex');
  const utf8 = (text: string): string => Buffer.from(text, 'utf8').toString('hex');

  it('turns the escapes into characters', () => {
    expect(sent('hello\\r\\n')).toBe(utf8('hello\r\n'));
    expect(sent('a\\tb\\\\c\\0d\\n')).toBe(utf8('a\tb\\c\0d\n'));
    expect(sent('\\\\x41')).toBe(utf8('\\x41'));
  });

  it('keeps \\xHH as raw bytes, whatever follows', () => {
    expect(sent('\\xB0\\xA1')).toBe('b0a1');
    expect(sent('a\\x00\\xffb\\r\\x0A')).toBe('6100ff620d0a');
    expect(sent('\\x414')).toBe('4134');
  });

  it('reads empty text as no bytes and plain text as itself', () => {
    expect(sent('')).toBe('');
    expect(sent('你好，世界')).toBe(utf8('你好，世界'));
  });

  it('refuses an unknown escape with its position', () => {
    expect(payloadProblem('text', 'ab\\q')).toBe(
      'unknown escape "\\q" at position 3: use \\r, \\n, \\t, \\\\, \\0, \\{ or \\xHH',
    );
    expect(payloadProblem('text', '\\e')).toMatch(/at position 1:/);
    expect(payloadProblem('text', '\\"')).toMatch(/at position 1:/);
    expect(payloadProblem('text', 'x\\\ny')).toBe(
      'unknown escape "\\" followed by U+000A at position 2: use \\r, \\n, \\t, \\\\, \\0, \\{ or \\xHH',
    );
  });

  it('refuses a trailing lone backslash', () => {
    expect(payloadProblem('text', 'abc\\')).toBe(
      'a lone "\\" at position 4 ends the text: write \\\\ for a backslash',
    );
    expect(payloadProblem('text', '\\\\\\')).toMatch(/at position 3 /);
  });

  it('refuses \\x without two hex digits', () => {
    const expected = (position: number) =>
      `"\\x" at position ${position} must be followed by two hex digits`;
    expect(payloadProblem('text', 'a\\x')).toBe(expected(2));
    expect(payloadProblem('text', 'a\\x4')).toBe(expected(2));
    expect(payloadProblem('text', 'a\\x4g')).toBe(expected(2));
    expect(payloadProblem('text', '\\xg4')).toBe(expected(1));
  });
});

describe('base64', () => {
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);

  it('writes what Node writes, for every byte value and every length up to 300', () => {
    expect(toBase64(all)).toBe(Buffer.from(all).toString('base64'));
    for (let length = 0; length <= 300; length++) {
      const bytes = new Uint8Array(randomBytes(length));
      expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    }
  });

  it('round-trips random buffers of 256 bytes and 64 KiB, and views into larger buffers', () => {
    for (const length of [256, 65536, 65537, 200_000]) {
      const bytes = new Uint8Array(randomBytes(length));
      const text = toBase64(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64'));
      expect(Buffer.from(fromBase64(text)).equals(bytes)).toBe(true);
      expect(Buffer.from(parseBase64(text) as Uint8Array).equals(bytes)).toBe(true);
    }
    const big = new Uint8Array(randomBytes(1000));
    const view = big.subarray(10, 20);
    expect(toBase64(view)).toBe(Buffer.from(view).toString('base64'));
  });

  it('reads every byte value back, padded or not, in either alphabet', () => {
    const standard = Buffer.from(all).toString('base64');
    const urlSafe = Buffer.from(all).toString('base64url');
    expect(fromBase64(standard)).toEqual(all);
    expect(fromBase64(urlSafe)).toEqual(all);
    expect(parseBase64(urlSafe)).toEqual(all);
    for (let length = 0; length < 40; length++) {
      const bytes = new Uint8Array(randomBytes(length));
      const padded = Buffer.from(bytes).toString('base64');
      const bare = padded.replace(/=+$/, '');
      expect(fromBase64(padded)).toEqual(bytes);
      expect(fromBase64(bare)).toEqual(bytes);
      expect(parseBase64(bare)).toEqual(bytes);
    }
  });

  it('ignores whitespace', () => {
    expect(hex(parseBase64(' aGVs\nbG8=\r\n'))).toBe('68656c6c6f');
    expect(hex(parseBase64('aG Vs\tbG8'))).toBe('68656c6c6f');
    expect(Buffer.from(fromBase64('aGVs bG8=')).toString()).toBe('hello');
    expect(hex(parseBase64(''))).toBe('');
    expect(hex(parseBase64('  \n'))).toBe('');
  });

  it('refuses a bad character with its position', () => {
    expect(parseBase64('aGV*bG8=')).toEqual({
      problem: '"*" at position 4 is not a base64 character',
      position: 4,
    });
    expect(parseBase64('aGVsé')).toMatchObject({
      problem: '"é" at position 5 is not a base64 character',
    });
  });

  it('refuses a length that cannot be base64', () => {
    expect(parseBase64('aGVsb')).toEqual({
      problem:
        'base64 cannot end with a single character in its last group of four: "b" at position 5 is left over',
      position: 5,
    });
    expect(parseBase64('a')).toMatchObject({ position: 1 });
    expect(parseBase64('a===')).toMatchObject({ position: 1 });
  });

  it('refuses padding that does not complete a group, and data after padding', () => {
    expect(parseBase64('aGVsbA=')).toEqual({
      problem: '"=" padding at position 7 does not complete a group of four characters',
      position: 7,
    });
    expect(parseBase64('aGVsbA===')).toMatchObject({ position: 7 });
    expect(parseBase64('aGVsbG8==')).toMatchObject({ position: 8 });
    expect(parseBase64('aG=Vs')).toEqual({
      problem: '"V" at position 4 comes after the "=" padding',
      position: 4,
    });
  });

  it('fromBase64 throws a coded error naming the position', () => {
    expect(() => fromBase64('aGV*')).toThrow(SockscopeError);
    expect(() => fromBase64('aGV*')).toThrow('base64: "*" at position 4 is not a base64 character');
    expect(() => fromBase64('QQ==QQ==')).toThrow(/position 5/);
  });
});

describe('payloadProblem', () => {
  it('is null for text that reads, and the message otherwise', () => {
    expect(payloadProblem('text', 'hello\\r\\n')).toBeNull();
    expect(payloadProblem('hex', '68 65')).toBeNull();
    expect(payloadProblem('base64', 'aGVsbG8=')).toBeNull();
    expect(payloadProblem('text', '\\q')).toMatch(/^unknown escape "\\q" at position 1/);
    expect(payloadProblem('hex', '6g')).toBe('"g" at position 2 is not a hex digit');
    expect(payloadProblem('base64', 'a')).toMatch(/position 1/);
  });

  it('feeds the contract schema, which names the text field', () => {
    const parsed = Payload.safeParse({ format: 'hex', text: '68 6' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({
      path: ['text'],
      message:
        'odd number of hex digits (1) in the group at position 4: the digit at position 4 has no pair',
    });
    expect(Payload.parse({ format: 'text', text: 'a\\n' })).toEqual({
      format: 'text',
      text: 'a\\n',
      charset: 'utf-8',
      lineEnding: 'none',
    });
  });
});

describe('lineEndingBytes', () => {
  it('gives the bytes of each line ending, fresh each time', () => {
    expect(lineEndingBytes('none')).toEqual(new Uint8Array(0));
    expect(lineEndingBytes('lf')).toEqual(Uint8Array.of(0x0a));
    expect(lineEndingBytes('crlf')).toEqual(Uint8Array.of(0x0d, 0x0a));
    lineEndingBytes('lf')[0] = 0;
    expect(lineEndingBytes('lf')).toEqual(Uint8Array.of(0x0a));
  });
});

describe('encodePayload', () => {
  it('encodes escapes in text', () => {
    expect(hex(encodePayload(payload('text', 'hello\\r\\n'), testEncoder))).toBe('68656c6c6f0d0a');
  });

  it('passes \\xHH bytes through untouched and only text to the encoder', () => {
    const seen: string[] = [];
    const bytes = encodePayload(payload('text', 'a\\xB0\\xA1b', { charset: 'gbk' }), (text) => {
      seen.push(text);
      return testEncoder(text);
    });
    expect(hex(bytes)).toBe('61b0a162');
    expect(seen).toEqual(['a', 'b']);
  });

  it('appends the line ending to text only; hex and base64 are exact bytes', () => {
    expect(hex(encodePayload(payload('text', 'hi', { lineEnding: 'crlf' }), testEncoder))).toBe(
      '68690d0a',
    );
    const modbus = payload('hex', '01 03 00 00 00 0A C5 CD', { lineEnding: 'crlf' });
    expect(hex(encodePayload(modbus, testEncoder))).toBe('01030000000ac5cd');
    expect(hex(encodePayload(payload('hex', '68 69', { lineEnding: 'lf' }), testEncoder))).toBe(
      '6869',
    );
    expect(hex(encodePayload(payload('base64', 'aGk=', { lineEnding: 'crlf' }), testEncoder))).toBe(
      '6869',
    );
    expect(hex(encodePayload(payload('text', '', { lineEnding: 'lf' }), testEncoder))).toBe('0a');
    expect(hex(encodePayload(payload('hex', ''), testEncoder))).toBe('');
  });

  it('refuses unreadable text with a coded error naming the field and position', () => {
    const attempt = (input: PayloadInput) => {
      try {
        encodePayload(input, testEncoder);
      } catch (error) {
        return error;
      }
      throw new Error('expected a refusal');
    };
    expect(attempt(payload('hex', '68 65 6'))).toMatchObject({
      code: 'ERR_INVALID_ARGS',
      message:
        'payload.text: odd number of hex digits (1) in the group at position 7: the digit at position 7 has no pair',
      details: { position: 7 },
    });
    expect(attempt(payload('hex', '6g'))).toMatchObject({
      message: 'payload.text: "g" at position 2 is not a hex digit',
    });
    expect(attempt(payload('text', 'ok\\q'))).toMatchObject({
      code: 'ERR_INVALID_ARGS',
      details: { position: 3 },
    });
    expect(attempt(payload('base64', 'a*'))).toBeInstanceOf(SockscopeError);
  });

  it("restates the encoder's refusal with the position in the typed text", () => {
    // a \r \n ☃ : the snowman is the 6th character typed, the 4th the encoder sees.
    expect(() => encodePayload(payload('text', 'a\\r\\n☃'), testEncoder)).toThrow(
      'payload.text: "☃" at position 6 cannot be written in UTF-8',
    );
    // After a byte escape the encoder starts a new segment.
    expect(() =>
      encodePayload(payload('text', '\\xff\\\\x☃', { charset: 'latin1' }), testEncoder),
    ).toThrow('payload.text: "☃" at position 8 cannot be written in Latin-1');
  });

  it('lets other encoder errors through as they are', () => {
    const boom = new Error('boom');
    expect(() =>
      encodePayload(payload('text', 'x'), () => {
        throw boom;
      }),
    ).toThrow(boom);
  });

  it('accepts a parsed contract payload', () => {
    const parsed = Payload.parse({ format: 'text', text: 'x\\n', lineEnding: 'lf' });
    expect(hex(encodePayload(parsed, testEncoder))).toBe('780a0a');
    expect(isCodecProblem(parseHex('6'))).toBe(true);
    expect(isCodecProblem(parseHex('66'))).toBe(false);
  });
});
