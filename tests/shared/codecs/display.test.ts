import { describe, expect, it } from 'vitest';
import {
  decodeForDisplay,
  hexDump,
  hexString,
  indexOfBytes,
  matchesHex,
} from '@shared/codecs/display';

const bytesOf = (hex: string) => new Uint8Array(Buffer.from(hex.replace(/\s+/g, ''), 'hex'));
const ascii = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));

describe('decodeForDisplay', () => {
  it('shows printable ASCII as itself in every charset', () => {
    for (const charset of ['utf-8', 'gbk', 'latin1'] as const) {
      expect(decodeForDisplay(ascii('GET / HTTP/1.1'), charset)).toBe('GET / HTTP/1.1');
      expect(decodeForDisplay(new Uint8Array(0), charset)).toBe('');
    }
  });

  it('makes line endings and other control bytes visible', () => {
    expect(decodeForDisplay(bytesOf('68 65 6c 6c 6f 0d 0a'), 'utf-8')).toBe('hello\\r\\n');
    expect(decodeForDisplay(bytesOf('00 09 0a 0d 5c'), 'utf-8')).toBe('\\0\\t\\n\\r\\\\');
    // \0 then a digit would read back as an ambiguous escape: NUL before a digit is \x00.
    expect(decodeForDisplay(bytesOf('41 00 30 42'), 'utf-8')).toBe('A\\x000B');
    expect(decodeForDisplay(bytesOf('01 1b 1f 7f 20 7e'), 'latin1')).toBe('\\x01\\x1b\\x1f\\x7f ~');
    expect(decodeForDisplay(ascii('a\\b'), 'gbk')).toBe('a\\\\b');
    expect(decodeForDisplay(ascii('\r\n'), 'gbk')).toBe('\\r\\n');
  });

  it('escapes every C0 byte and DEL, and nothing else in ASCII', () => {
    const named: Record<number, string> = {
      0: '\\0',
      9: '\\t',
      10: '\\n',
      13: '\\r',
      0x5c: '\\\\',
    };
    for (let byte = 0; byte < 0x80; byte++) {
      const expected =
        named[byte] ??
        (byte < 0x20 || byte === 0x7f
          ? `\\x${byte.toString(16).padStart(2, '0')}`
          : String.fromCharCode(byte));
      for (const charset of ['utf-8', 'gbk', 'latin1'] as const) {
        expect(decodeForDisplay(Uint8Array.of(0x41, byte), charset)).toBe(`A${expected}`);
      }
    }
  });

  describe('utf-8', () => {
    it('decodes valid text', () => {
      expect(decodeForDisplay(bytesOf('e4bda0 e5a5bd 0d0a'), 'utf-8')).toBe('你好\\r\\n');
      expect(decodeForDisplay(bytesOf('f09f9880'), 'utf-8')).toBe('😀');
      expect(decodeForDisplay(bytesOf('c3a9'), 'utf-8')).toBe('é');
      // a zero width joiner is part of emoji, not something to hide
      const family = '👨\u200d👩\u200d👧';
      expect(decodeForDisplay(new Uint8Array(Buffer.from(family)), 'utf-8')).toBe(family);
    });

    it('shows each undecodable byte as \\xHH, never U+FFFD', () => {
      expect(decodeForDisplay(bytesOf('ff fe'), 'utf-8')).toBe('\\xff\\xfe');
      expect(decodeForDisplay(bytesOf('41 80 42'), 'utf-8')).toBe('A\\x80B');
      expect(decodeForDisplay(bytesOf('c0 80'), 'utf-8')).toBe('\\xc0\\x80'); // overlong
      expect(decodeForDisplay(bytesOf('ed a0 80'), 'utf-8')).toBe('\\xed\\xa0\\x80'); // surrogate
      expect(decodeForDisplay(bytesOf('f4 90 80 80'), 'utf-8')).toBe('\\xf4\\x90\\x80\\x80');
      expect(decodeForDisplay(bytesOf('ef bf bd'), 'utf-8')).toBe('\ufffd'); // a real U+FFFD stays
    });

    it('shows a truncated multibyte sequence at the end as its bytes', () => {
      expect(decodeForDisplay(bytesOf('e4 bd a0 e5 a5'), 'utf-8')).toBe('你\\xe5\\xa5');
      expect(decodeForDisplay(bytesOf('e4'), 'utf-8')).toBe('\\xe4');
      expect(decodeForDisplay(bytesOf('f0 9f 98'), 'utf-8')).toBe('\\xf0\\x9f\\x98');
    });

    it('reads again the byte that broke a sequence', () => {
      expect(decodeForDisplay(bytesOf('e4 bd 41'), 'utf-8')).toBe('\\xe4\\xbdA');
      expect(decodeForDisplay(bytesOf('e4 e4 bd a0'), 'utf-8')).toBe('\\xe4你');
      expect(decodeForDisplay(bytesOf('e4 0d 0a'), 'utf-8')).toBe('\\xe4\\r\\n');
    });

    it('shows hidden characters (C1, bidi controls, separators, BOM) as their bytes', () => {
      expect(decodeForDisplay(bytesOf('c2 85'), 'utf-8')).toBe('\\xc2\\x85');
      expect(decodeForDisplay(bytesOf('61 e2 80 ae 62'), 'utf-8')).toBe('a\\xe2\\x80\\xaeb');
      expect(decodeForDisplay(bytesOf('e2 81 a6'), 'utf-8')).toBe('\\xe2\\x81\\xa6');
      expect(decodeForDisplay(bytesOf('e2 80 a8'), 'utf-8')).toBe('\\xe2\\x80\\xa8');
      expect(decodeForDisplay(bytesOf('ef bb bf 41'), 'utf-8')).toBe('\\xef\\xbb\\xbfA');
      expect(decodeForDisplay(bytesOf('c2 a0'), 'utf-8')).toBe('\u00a0');
    });

    it('handles records longer than its internal buffer', () => {
      const text = '你好，世界 hello\r\n'.repeat(5000);
      const shown = decodeForDisplay(new Uint8Array(Buffer.from(text)), 'utf-8');
      expect(shown).toBe(text.replaceAll('\r', '\\r').replaceAll('\n', '\\n'));
      const invalid = new Uint8Array(100_000).fill(0xff);
      expect(decodeForDisplay(invalid, 'utf-8')).toBe('\\xff'.repeat(100_000));
    });

    it('accepts a Buffer or a view into a larger buffer', () => {
      expect(decodeForDisplay(Buffer.from('a\r'), 'utf-8')).toBe('a\\r');
      const big = bytesOf('00 41 0d e4 bd a0 00');
      expect(decodeForDisplay(big.subarray(1, 6), 'utf-8')).toBe('A\\r你');
    });
  });

  describe('latin1', () => {
    it('is true ISO-8859-1: A0–FF are their own code points', () => {
      const bytes = Uint8Array.from({ length: 0x60 }, (_, i) => 0xa0 + i);
      const expected = String.fromCharCode(...bytes);
      expect(decodeForDisplay(bytes, 'latin1')).toBe(expected);
      expect(decodeForDisplay(bytesOf('e9'), 'latin1')).toBe('é');
      expect(decodeForDisplay(bytesOf('ff'), 'latin1')).toBe('ÿ');
    });

    it('shows the C1 controls 80–9F as bytes (not windows-1252 letters)', () => {
      expect(decodeForDisplay(bytesOf('80 85 9f'), 'latin1')).toBe('\\x80\\x85\\x9f');
    });
  });

  describe('gbk', () => {
    it('decodes GBK text', () => {
      expect(decodeForDisplay(bytesOf('c4e3 bac3 a3ac cac0 bde7'), 'gbk')).toBe('你好，世界');
      expect(decodeForDisplay(bytesOf('b0a1'), 'gbk')).toBe('啊');
      expect(decodeForDisplay(bytesOf('80'), 'gbk')).toBe('€');
      expect(decodeForDisplay(bytesOf('c4e3 0d0a 41 bac3 5c'), 'gbk')).toBe('你\\r\\nA好\\\\');
      // trail bytes in the ASCII range belong to their character
      expect(decodeForDisplay(bytesOf('815c 8141'), 'gbk')).toBe(
        new TextDecoder('gb18030').decode(bytesOf('815c 8141')),
      );
    });

    it('shows bytes that are not GBK as \\xHH', () => {
      expect(decodeForDisplay(bytesOf('ff'), 'gbk')).toBe('\\xff');
      expect(decodeForDisplay(bytesOf('c4e3 c4'), 'gbk')).toBe('你\\xc4');
      expect(decodeForDisplay(bytesOf('c4 0a'), 'gbk')).toBe('\\xc4\\n');
      expect(decodeForDisplay(bytesOf('c4 ff'), 'gbk')).toBe('\\xc4\\xff');
      // GB18030's four-byte forms are not GBK
      expect(decodeForDisplay(bytesOf('8130 8130'), 'gbk')).toBe('\\x810\\x810');
    });

    it('shows UTF-8 bytes read as GBK without losing any', () => {
      // e4 bd a0 e5 a5 bd: two pairs, then a lead byte with no trail
      expect(decodeForDisplay(bytesOf('e4bd a0e5 a5bd'), 'gbk')).toBe(
        new TextDecoder('gb18030').decode(bytesOf('e4bd a0e5 a5bd')),
      );
      expect(decodeForDisplay(bytesOf('e4bd a0'), 'gbk')).toMatch(/^.\\xa0$/u);
    });
  });

  it('decodes 100k short ASCII records quickly', () => {
    const records = Array.from({ length: 100_000 }, (_, i) => ascii(`GET /item/${i} HTTP/1.1\r\n`));
    const started = performance.now();
    let total = 0;
    for (const record of records) total += decodeForDisplay(record, 'utf-8').length;
    for (const record of records) total += decodeForDisplay(record, 'gbk').length;
    const elapsed = performance.now() - started;
    expect(total).toBeGreaterThan(0);
    expect(elapsed).toBeLessThan(2000);
  });
});

describe('hexString', () => {
  it('writes lowercase pairs with single spaces', () => {
    expect(hexString(ascii('hello\r\n'))).toBe('68 65 6c 6c 6f 0d 0a');
    expect(hexString(Uint8Array.of(0, 0xab, 0xff))).toBe('00 ab ff');
    expect(hexString(new Uint8Array(0))).toBe('');
  });

  it('stops at max bytes and marks what was left out', () => {
    expect(hexString(ascii('hello'), 3)).toBe('68 65 6c …');
    expect(hexString(ascii('hello'), 5)).toBe('68 65 6c 6c 6f');
    expect(hexString(ascii('hello'), 10)).toBe('68 65 6c 6c 6f');
    expect(hexString(ascii('hello'), 0)).toBe('…');
  });

  it('handles long input', () => {
    const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => i & 0xff);
    expect(hexString(bytes)).toBe(
      Buffer.from(bytes)
        .toString('hex')
        .replace(/(..)(?!$)/g, '$1 '),
    );
  });
});

describe('hexDump', () => {
  it('writes no lines for no bytes', () => {
    expect(hexDump(new Uint8Array(0))).toEqual([]);
  });

  it('writes one short line for one byte', () => {
    expect(hexDump(Uint8Array.of(0x41))).toEqual([
      '00000000  41                                                A',
    ]);
  });

  it('pads a short line so the ASCII column lines up', () => {
    expect(hexDump(ascii('hello\r\n'))).toEqual([
      '00000000  68 65 6c 6c 6f 0d 0a                              hello..',
    ]);
  });

  it('writes 16 bytes on one line with a gap after 8', () => {
    expect(hexDump(ascii('0123456789abcdef'))).toEqual([
      '00000000  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  0123456789abcdef',
    ]);
  });

  it('starts a second line at offset 10 for the 17th byte', () => {
    expect(hexDump(ascii('0123456789abcdef\x00'))).toEqual([
      '00000000  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  0123456789abcdef',
      '00000010  00                                                .',
    ]);
  });

  it('shows non-printable bytes as dots and honours another width', () => {
    expect(hexDump(bytesOf('7f 80 ff 20 7e'), 4)).toEqual([
      '00000000  7f 80 ff 20  ... ',
      '00000004  7e           ~',
    ]);
    expect(() => hexDump(Uint8Array.of(1), 0)).toThrow(RangeError);
  });
});

describe('matchesHex', () => {
  it('finds a byte sequence anywhere', () => {
    const bytes = ascii('aaab\r\n');
    expect(matchesHex(bytes, ascii('aab'))).toBe(true);
    expect(matchesHex(bytes, Uint8Array.of(0x0d, 0x0a))).toBe(true);
    expect(matchesHex(bytes, Uint8Array.of(0x0a, 0x0d))).toBe(false);
    expect(matchesHex(bytes, ascii('aaab\r\n!'))).toBe(false);
    expect(matchesHex(bytes, new Uint8Array(0))).toBe(true);
    expect(matchesHex(new Uint8Array(0), Uint8Array.of(1))).toBe(false);
    expect(indexOfBytes(bytes, ascii('b'))).toBe(3);
    expect(indexOfBytes(ascii('abab'), ascii('ab'), 1)).toBe(2);
  });
});
