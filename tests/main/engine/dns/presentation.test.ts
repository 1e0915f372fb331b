import { describe, expect, it } from 'vitest';
import {
  absoluteName,
  caaData,
  genericData,
  quotedBytes,
  txtData,
} from '../../../../src/main/engine/dns/presentation';

const bytes = (...values: number[]) => Uint8Array.from(values);
const utf8 = (text: string) => new TextEncoder().encode(text);

describe('character-strings as dig quotes them, UTF-8 decoded where valid', () => {
  it('quotes ASCII and escapes quote and backslash', () => {
    expect(quotedBytes(utf8('say "hi" \\o/'))).toBe('"say \\"hi\\" \\\\o/"');
    expect(quotedBytes(utf8(''))).toBe('""');
  });

  it('shows valid UTF-8 as text', () => {
    expect(quotedBytes(utf8('café 中文 🙂'))).toBe('"café 中文 🙂"');
  });

  it('escapes control characters as \\DDD, also inside UTF-8 (C1 as its two bytes)', () => {
    expect(quotedBytes(utf8('tab\there\u0007'))).toBe('"tab\\009here\\007"');
    expect(quotedBytes(utf8('é\u0085'))).toBe('"é\\194\\133"');
    expect(quotedBytes(bytes(0x7f))).toBe('"\\127"');
  });

  it('escapes every non-ASCII byte when the string is not UTF-8', () => {
    expect(quotedBytes(bytes(0x61, 0xff, 0xfe, 0x22, 0x5c))).toBe('"a\\255\\254\\"\\\\"');
    // A lone continuation byte after valid text: the whole string is bytes.
    expect(quotedBytes(bytes(0xc3, 0xa9, 0x80))).toBe('"\\195\\169\\128"');
  });
});

describe('record data', () => {
  it('TXT keeps its strings apart, and its text joined for reading', () => {
    expect(txtData([utf8('alpha one'), utf8('beta two')])).toEqual({
      value: '"alpha one" "beta two"',
      fields: { text: 'alpha onebeta two', strings: 2 },
    });
    expect(txtData([utf8('alpha onebeta two')]).value).toBe('"alpha onebeta two"');
  });

  it('CAA value is quoted like TXT', () => {
    expect(caaData(128, 'issue', utf8('ça.example'))).toEqual({
      value: '128 issue "ça.example"',
      fields: { flags: 128, tag: 'issue', value: 'ça.example' },
    });
    expect(caaData(0, 'issue', bytes(0x61, 0xe9)).value).toBe('0 issue "a\\233"');
  });

  it('unknown types in RFC 3597 form', () => {
    expect(genericData(bytes(0xde, 0xad))).toEqual({ value: '\\# 2 DEAD', fields: { length: 2 } });
    expect(genericData(bytes()).value).toBe('\\# 0');
  });

  it('names are absolute', () => {
    expect(absoluteName('example.test')).toBe('example.test.');
    expect(absoluteName('example.test.')).toBe('example.test.');
    expect(absoluteName('.')).toBe('.');
  });
});
