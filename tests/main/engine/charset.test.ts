import { randomBytes } from 'node:crypto';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeForDisplay } from '@shared/codecs/display';
import { encodePayload } from '@shared/codecs/payload';
import type { Charset } from '@shared/contract/payload';
import { SockscopeError } from '@shared/errors';
import { encodeText } from '../../../src/main/engine/charset';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

function refusal(text: string, charset: Charset): SockscopeError {
  try {
    encodeText(text, charset);
  } catch (error) {
    if (error instanceof SockscopeError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be refused in ${charset}`);
}

describe('encodeText', () => {
  it('returns plain Uint8Arrays', () => {
    for (const charset of ['utf-8', 'gbk', 'latin1'] as const) {
      expect(Object.getPrototypeOf(encodeText('abc', charset))).toBe(Uint8Array.prototype);
    }
  });

  describe('utf-8', () => {
    it('encodes text', () => {
      expect(hex(encodeText('hello\r\n', 'utf-8'))).toBe('68656c6c6f0d0a');
      expect(hex(encodeText('你好', 'utf-8'))).toBe('e4bda0e5a5bd');
      expect(hex(encodeText('😀', 'utf-8'))).toBe('f09f9880');
      expect(hex(encodeText('', 'utf-8'))).toBe('');
    });

    it('refuses a lone surrogate rather than writing U+FFFD', () => {
      const error = refusal('ab\ud800c', 'utf-8');
      expect(error.code).toBe('ERR_INVALID_ARGS');
      expect(error.message).toBe('payload.text: U+D800 at position 3 cannot be written in UTF-8');
      expect(error.details).toEqual({ position: 3, character: '\ud800', charset: 'utf-8' });
    });
  });

  describe('latin1', () => {
    it('writes each character as its code point', () => {
      expect(hex(encodeText('é', 'latin1'))).toBe('e9');
      expect(hex(encodeText('aÿ\u0080', 'latin1'))).toBe('61ff80');
    });

    it('refuses a character above U+00FF with its position', () => {
      const error = refusal('ab中', 'latin1');
      expect(error.code).toBe('ERR_INVALID_ARGS');
      expect(error.message).toBe('payload.text: "中" at position 3 cannot be written in Latin-1');
      expect(error.details).toEqual({ position: 3, character: '中', charset: 'latin1' });
      expect(refusal('€', 'latin1').message).toBe(
        'payload.text: "€" at position 1 cannot be written in Latin-1',
      );
      expect(refusal('a😀', 'latin1').message).toMatch(/"😀" at position 2/);
    });
  });

  describe('gbk', () => {
    it('encodes GBK text', () => {
      expect(hex(encodeText('你好，世界', 'gbk'))).toBe('c4e3bac3a3accac0bde7');
      expect(hex(encodeText('€', 'gbk'))).toBe('80');
      expect(hex(encodeText('a?b', 'gbk'))).toBe('613f62');
      expect(hex(encodeText('?', 'gbk'))).toBe('3f');
    });

    it('refuses a character GBK does not have instead of writing "?"', () => {
      const error = refusal('a?中?\u0e01', 'gbk');
      expect(error.message).toBe('payload.text: "\u0e01" at position 5 cannot be written in GBK');
      expect(error.details).toMatchObject({ position: 5 });
      expect(refusal('ab😀', 'gbk').message).toBe(
        'payload.text: "😀" at position 3 cannot be written in GBK',
      );
      expect(refusal('😀😀\u0e01', 'gbk').details).toMatchObject({ position: 1 });
      expect(refusal('€x\ud800', 'gbk').message).toBe(
        'payload.text: U+D800 at position 3 cannot be written in GBK',
      );
      // iconv-lite writes a broken three-byte sequence for this one
      expect(refusal('a\ue7c7', 'gbk').details).toMatchObject({ position: 2 });
    });

    it('encodes every character GBK has exactly as iconv-lite does', () => {
      let text = '';
      for (let lead = 0x81; lead <= 0xfe; lead++) {
        for (let trail = 0x40; trail <= 0xfe; trail++) {
          if (trail === 0x7f) continue;
          const decoded = iconv.decode(Buffer.from([lead, trail]), 'gbk');
          if (decoded !== '\ufffd' && decoded !== '\ue7c7') text += decoded;
        }
      }
      expect(text.length).toBeGreaterThan(20_000);
      expect(hex(encodeText(text, 'gbk'))).toBe(iconv.encode(text, 'gbk').toString('hex'));
    });
  });
});

describe('the engine encoder with the shared codecs', () => {
  const send = (text: string, charset: Charset) =>
    encodePayload({ format: 'text', text, charset, lineEnding: 'none' }, encodeText);

  it('sends escaped text as bytes', () => {
    expect(hex(send('hello\\r\\n', 'utf-8'))).toBe('68656c6c6f0d0a');
    expect(hex(send('你好，世界\\r\\n', 'gbk'))).toBe('c4e3bac3a3accac0bde70d0a');
  });

  it('keeps \\xB0\\xA1 raw in every charset', () => {
    for (const charset of ['utf-8', 'gbk', 'latin1'] as const) {
      expect(hex(send('\\xB0\\xA1', charset))).toBe('b0a1');
    }
    expect(decodeForDisplay(send('\\xB0\\xA1', 'utf-8'), 'gbk')).toBe('啊');
    expect(decodeForDisplay(send('\\xB0\\xA1', 'gbk'), 'utf-8')).toBe('\\xb0\\xa1');
  });

  it('round-trips GBK text through encodeText and decodeForDisplay', () => {
    const text = '你好，世界';
    const bytes = encodeText(text, 'gbk');
    expect(hex(bytes)).toBe('c4e3bac3a3accac0bde7');
    expect(decodeForDisplay(bytes, 'gbk')).toBe(text);
  });

  it('names the position in the typed text of what the charset cannot write', () => {
    expect(() => send('é\\r\\n中', 'latin1')).toThrow(
      'payload.text: "中" at position 6 cannot be written in Latin-1',
    );
    expect(() => send('\\x00ok\\t😀', 'gbk')).toThrow(
      'payload.text: "😀" at position 9 cannot be written in GBK',
    );
  });

  it('sends back exactly the bytes the log shows, for any bytes (utf-8 and latin1)', () => {
    for (const charset of ['utf-8', 'latin1'] as const) {
      for (let round = 0; round < 50; round++) {
        const bytes = new Uint8Array(randomBytes(1 + round * 20));
        expect(hex(send(decodeForDisplay(bytes, charset), charset))).toBe(hex(bytes));
      }
      const text = new Uint8Array(Buffer.from('你好 \u202e\u00a0 é\r\n\\ 😀 \u0085', 'utf8'));
      expect(hex(send(decodeForDisplay(text, charset), charset))).toBe(hex(text));
    }
  });

  it('sends back exactly the bytes the log shows, for GBK text and stray bytes', () => {
    const bytes = new Uint8Array(
      Buffer.concat([
        iconv.encode('你好，世界 hello\r\n€ 啊\\', 'gbk'),
        Buffer.from([0xff, 0xc4, 0x0a, 0x81, 0x30]),
      ]),
    );
    expect(hex(send(decodeForDisplay(bytes, 'gbk'), 'gbk'))).toBe(hex(bytes));
  });
});
