import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeText } from '../../../src/main/engine/charset';
import { checksums } from '@shared/codecs/checksums';
import { findMacros, formatDateTime } from '@shared/codecs/macros';
import { payloadProblem } from '@shared/codecs/payload';
import type { PayloadInput } from '@shared/codecs/payload';
import type { MacroContext } from '@shared/codecs/template';
import { compilePayload } from '@shared/codecs/template';

function payload(text: string, format: PayloadInput['format'] = 'text'): PayloadInput {
  return { format, text, charset: 'utf-8', lineEnding: 'none' };
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/** A fixed context: 2026-03-04 05:06:07.089 local time, counters as given. */
function context(overrides: Partial<MacroContext> = {}): MacroContext {
  return {
    now: new Date(2026, 2, 4, 5, 6, 7, 89),
    counterIndex: () => 0,
    seq: 1,
    randomBytes: (count) => new Uint8Array(count).fill(0xab),
    uuid: () => '123e4567-e89b-42d3-a456-426614174000',
    ...overrides,
  };
}

function expand(text: string, format: PayloadInput['format'] = 'text', over = {}): string {
  return Buffer.from(
    compilePayload(payload(text, format), encodeText).expand(context(over)),
  ).toString('latin1');
}

describe('Packet Sender notation', () => {
  it('sends \\HH as one byte and \\r \\n \\t \\\\ as usual', () => {
    const bytes = compilePayload(payload('Hello\\r\\n\\41\\42', 'packet-sender'), encodeText);
    expect(hex(bytes.expand(context()))).toBe(hex(Buffer.from('Hello\r\nAB')));
    expect(expand('A\\00B', 'packet-sender')).toBe('A\0B');
    expect(expand('a\\tb\\\\c', 'packet-sender')).toBe('a\tb\\c');
  });

  it('refuses an escape it does not know, naming the position', () => {
    expect(payloadProblem('packet-sender', 'ab\\q')).toBe(
      'unknown escape "\\q" at position 3: in Packet Sender notation use \\HH (two hex digits), \\r, \\n, \\t or \\\\',
    );
    expect(payloadProblem('packet-sender', 'ab\\4')).toMatch(/unknown escape "\\4" at position 3/);
  });

  it('refuses \\0 followed by a digit in our notation, with the hint to write \\x00', () => {
    expect(payloadProblem('text', 'A\\00B')).toBe(
      '"\\0" followed by a digit at position 2 is ambiguous: write \\x00 for a zero byte (\\x000 for a zero byte and then "0"), or choose Packet Sender notation where \\HH is one byte',
    );
    expect(expand('A\\0B')).toBe('A\0B');
    expect(expand('A\\x000B')).toBe('A\x000B');
  });
});

describe('macros', () => {
  it('expands dates, times and Unix time from the clock of the send', () => {
    expect(expand('{date} {time}')).toBe('2026-03-04 05:06:07');
    expect(expand('{date:YYMMDD}|{time:HH:mm:ss.SSS}')).toBe('260304|05:06:07.089');
    const now = context().now.getTime();
    expect(expand('{unix}/{unix_ms}')).toBe(`${Math.floor(now / 1000)}/${now}`);
    expect(formatDateTime(new Date(2026, 11, 31, 23, 59, 58, 7), 'YYYY-MM-DDTHH:mm:ss.SSS')).toBe(
      '2026-12-31T23:59:58.007',
    );
  });

  it('expands the counter with start, step and width, per scope', () => {
    const template = compilePayload(
      payload('n={counter:start=10,step=5,width=4} g={counter:global}'),
      encodeText,
    );
    const at = (session: number, global: number) =>
      Buffer.from(
        template.expand(
          context({ counterIndex: (scope) => (scope === 'session' ? session : global) }),
        ),
      ).toString();
    expect(at(0, 0)).toBe('n=0010 g=0');
    expect(at(3, 7)).toBe('n=0025 g=7');
    expect([...template.counterScopes].sort()).toEqual(['global', 'session']);
    expect(expand('{counter:start=0,step=-1,width=3}', 'text', { counterIndex: () => 2 })).toBe(
      '-002',
    );
  });

  it('expands random bytes, uuid and seq, and Packet Sender aliases', () => {
    expect(hex(compilePayload(payload('{random:3}'), encodeText).expand(context()))).toBe('ababab');
    expect(expand('{uuid}#{seq}', 'text', { seq: 42 })).toBe(
      '123e4567-e89b-42d3-a456-426614174000#42',
    );
    expect(
      expand('{{DATE}} {{TIME}} {{UNIXTIME}} {{COUNTER}} {{UNIQUE}}', 'text', {
        counterIndex: () => 5,
      }),
    ).toBe(
      `2026-03-04 05:06:07 ${Math.floor(context().now.getTime() / 1000)} 5 123e4567-e89b-42d3-a456-426614174000`,
    );
    expect(expand('{{RANDOM}}')).toBe(String(0xabab & 0x7fff));
  });

  it('leaves JSON and unknown names as typed, and \\{ keeps a macro name as text', () => {
    expect(expand('{"seq":1}')).toBe('{"seq":1}');
    expect(expand('{nope} {{NOPE}}')).toBe('{nope} {{NOPE}}');
    expect(expand('\\{seq} {seq}', 'text', { seq: 9 })).toBe('{seq} 9');
  });

  it('refuses bad arguments naming the macro and its position', () => {
    expect(payloadProblem('text', 'ab{random:0}')).toBe(
      '{random:N}: N must be from 1 to 1024 (the macro at position 3)',
    );
    expect(payloadProblem('text', '{counter:size=2}')).toMatch(/unknown argument "size=2"/);
    expect(payloadProblem('hex', '01 {crc16-modbus:to=1,from=2}')).toMatch(
      /to=1 is before from=2 \(the macro at position 4\)/,
    );
  });

  it('keeps positions in the typed text when the text around a macro is wrong', () => {
    expect(payloadProblem('hex', '01 {seq} 0g')).toBe('"g" at position 11 is not a hex digit');
    expect(() => compilePayload(payload('{seq}\\q'), encodeText)).toThrow(/at position 6/);
  });

  it('expands per send: a repeat of one template gives fresh values', () => {
    const template = compilePayload(payload('#{seq}'), encodeText);
    expect(template.constant).toBe(false);
    const sends = [1, 2, 3].map((seq) => Buffer.from(template.expand(context({ seq }))).toString());
    expect(sends).toEqual(['#1', '#2', '#3']);
  });
});

describe('checksums in payloads', () => {
  it('appends each checksum over the bytes before it', () => {
    expect(
      hex(compilePayload(payload('123456789{crc16-modbus}'), encodeText).expand(context())),
    ).toBe(hex(Buffer.from('123456789')) + '374b');
    expect(expand('123456789{crc16-modbus:be}').slice(-2)).toBe('\x4b\x37');
    expect(expand('123456789{crc16-ccitt-false}').slice(-2)).toBe('\x29\xb1');
    expect(expand('123456789{crc16-xmodem}').slice(-2)).toBe('\x31\xc3');
    expect(expand('123456789{crc32}').slice(-4)).toBe('\xcb\xf4\x39\x26');
    expect(expand('123456789{crc32:le}').slice(-4)).toBe('\x26\x39\xf4\xcb');
    expect(expand('123456789{crc8}').slice(-1)).toBe('\xf4');
  });

  it('covers a chosen range, in hex payloads too, before the line ending', () => {
    // Modbus RTU "read holding registers": 01 03 00 00 00 0A, CRC C5 CD. Hex is
    // exact bytes: a line ending asked for goes to text only, so the frame stays 8 bytes.
    const modbus = (lineEnding: 'crlf') =>
      compilePayload(
        { format: 'hex', text: '01 03 00 00 00 0A {crc16-modbus}', charset: 'utf-8', lineEnding },
        encodeText,
      );
    expect(hex(modbus('crlf').expand(context()))).toBe('01030000000ac5cd');
    const textFrame = compilePayload(
      { ...payload('\\x01\\x03{crc16-modbus}'), lineEnding: 'crlf' },
      encodeText,
    );
    expect(hex(textFrame.expand(context()))).toMatch(/^0103[0-9a-f]{4}0d0a$/);
    expect(hex(compilePayload(payload('\\x02AB{sum8:from=1}'), encodeText).expand(context()))).toBe(
      '024142' + (0x41 + 0x42).toString(16),
    );
  });

  it('refuses a range that reaches past the bytes before the checksum', () => {
    const template = compilePayload(payload('ab{xor8:to=5}'), encodeText);
    expect(() => template.expand(context())).toThrow(
      /covers bytes 0 to 5, but only 2 come before it/,
    );
  });

  it('a payload followed by its own CRC-16/MODBUS (low byte first) checks to zero residue', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 64 }), (data) => {
        const text = Buffer.from(data).toString('hex');
        const bytes = compilePayload(payload(`${text} {crc16-modbus}`, 'hex'), encodeText).expand(
          context(),
        );
        expect(bytes.length).toBe(data.length + 2);
        // CRC over data plus its CRC sent low byte first is 0 for Modbus.
        expect(checksums['crc16-modbus']!.compute(bytes)).toBe(0);
      }),
    );
  });

  it('any text in Packet Sender notation that reads gives the bytes its escapes say', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 32 }), (data) => {
        const text = [...data].map((byte) => `\\${byte.toString(16).padStart(2, '0')}`).join('');
        expect(
          hex(compilePayload(payload(text, 'packet-sender'), encodeText).expand(context())),
        ).toBe(hex(data));
      }),
    );
  });
});

describe('findMacros', () => {
  it('finds macros in hex text but skips escaped braces in text notations', () => {
    expect(findMacros('01 {seq}', 'hex')).toHaveLength(1);
    expect(findMacros('\\{seq}', 'text')).toHaveLength(0);
    expect(findMacros('\\\\{seq}', 'text')).toHaveLength(1);
  });
});
