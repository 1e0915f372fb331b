/**
 * Payload codecs: what the user types in a send composer (text with escapes,
 * hex or base64) turned into bytes. Pure TypeScript with no Node or DOM
 * imports: the renderer validates with the same code the engine sends with.
 *
 * Positions in messages are 1-based indexes into the typed text, counted in
 * UTF-16 code units (what a text field's selection offsets count), so the UI
 * can point at the exact character.
 */
import type { Charset, LineEnding, PayloadFormat } from '../contract/payload';
import { charsetNames } from '../charsets';
import { ErrorCode, SockscopeError } from '../errors';
import { blankMacros, findMacros } from './macros';

/** Why a text cannot be read, and where (1-based position in the text). */
export interface CodecProblem {
  problem: string;
  position: number;
}

/** A piece of escaped text: characters to encode in a charset, or raw bytes from `\xHH`. */
export type EscapedSegment = { kind: 'text'; text: string } | { kind: 'bytes'; bytes: Uint8Array };

/** Turns text into bytes in a charset; throws a SockscopeError naming what it cannot encode. */
export type TextEncoderFunction = (text: string, charset: Charset) => Uint8Array;

/** What a payload to encode carries (the contract's `Payload` fits). */
export interface PayloadInput {
  format: PayloadFormat;
  text: string;
  charset: Charset;
  lineEnding: LineEnding;
}

export function isCodecProblem(value: unknown): value is CodecProblem {
  return (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof Uint8Array) &&
    typeof (value as CodecProblem).problem === 'string' &&
    typeof (value as CodecProblem).position === 'number'
  );
}

// ---------------------------------------------------------------------------
// Shared helpers

/** Value of a hex digit character code, or -1. */
function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

/** The whole character (code point) starting at `index`, for messages. */
function characterAt(text: string, index: number): string {
  const code = text.codePointAt(index) ?? 0;
  return String.fromCodePoint(code);
}

/** A character quoted for a message; invisible ones are named by code point. */
export function quoteCharacter(character: string): string {
  const code = character.codePointAt(0) ?? 0;
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || (code >= 0xd800 && code <= 0xdfff)) {
    return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  if (character === '"') return "'\"'";
  return `"${character}"`;
}

/**
 * The message for a character a charset cannot write, e.g.
 * `payload.text: "中" at position 3 cannot be written in Latin-1`.
 * Shared by the engine's encoder and by encodePayload (which restates it
 * with the position in the whole typed text).
 */
export function unencodableMessage(character: string, position: number, charset: Charset): string {
  return `payload.text: ${quoteCharacter(character)} at position ${position} cannot be written in ${charsetNames[charset]}`;
}

// ---------------------------------------------------------------------------
// Hex

function isHexSeparator(code: number): boolean {
  // space, tab, line feed, carriage return, comma, colon
  return (
    code === 0x20 ||
    code === 0x09 ||
    code === 0x0a ||
    code === 0x0d ||
    code === 0x2c ||
    code === 0x3a
  );
}

function onlySeparators(text: string, from: number, to: number): boolean {
  for (let index = from; index < to; index++) {
    if (!isHexSeparator(text.charCodeAt(index))) return false;
  }
  return true;
}

function notHexDigit(text: string, index: number): CodecProblem {
  return {
    problem: `${quoteCharacter(characterAt(text, index))} at position ${index + 1} is not a hex digit`,
    position: index + 1,
  };
}

/**
 * Reads hex bytes. Accepted: `68 65`, `6865`, `0x68,0x65`, `68:65`, several
 * lines. Separators are spaces, tabs, line breaks, commas and colons; a group
 * (digits between separators) may start with `0x`/`0X` and must hold an even
 * number of digits, so `6 8` or `686` is refused rather than guessed at.
 * Empty text (or only separators) is zero bytes.
 */
export function parseHex(text: string): Uint8Array | CodecProblem {
  const length = text.length;
  const out = new Uint8Array(length >>> 1);
  let count = 0;
  let index = 0;
  let firstGroup = -1;
  while (index < length) {
    const code = text.charCodeAt(index);
    if (isHexSeparator(code)) {
      index++;
      continue;
    }
    // A group starts here.
    const groupStart = index;
    if (firstGroup < 0) firstGroup = groupStart;
    if (code === 0x30 && (text.charCodeAt(index + 1) | 0x20) === 0x78) {
      index += 2;
      if (index >= length || isHexSeparator(text.charCodeAt(index))) {
        return {
          problem: `"${text.slice(groupStart, groupStart + 2)}" at position ${groupStart + 1} has no hex digits after it`,
          position: groupStart + 1,
        };
      }
    }
    const digitsStart = index;
    let high = -1;
    for (; index < length; index++) {
      const c = text.charCodeAt(index);
      const value = hexValue(c);
      if (value < 0) {
        if (isHexSeparator(c)) break;
        return notHexDigit(text, index);
      }
      if (high < 0) high = value;
      else {
        out[count++] = (high << 4) | value;
        high = -1;
      }
    }
    if (high >= 0) {
      const alone = firstGroup === groupStart && onlySeparators(text, index, length);
      const where = alone ? '' : ` in the group at position ${groupStart + 1}`;
      return {
        problem: `odd number of hex digits (${index - digitsStart})${where}: the digit at position ${index} has no pair`,
        position: index,
      };
    }
  }
  return count === out.length ? out : out.slice(0, count);
}

// ---------------------------------------------------------------------------
// Escaped text

/** A text segment and where it starts in the typed text (0-based), for error positions. */
interface LocatedSegments {
  segments: EscapedSegment[];
  /** 0-based index in the source of each segment's first character. */
  starts: number[];
}

const escapeHelp = 'use \\r, \\n, \\t, \\\\, \\0, \\{ or \\xHH';
const packetSenderHelp =
  'in Packet Sender notation use \\HH (two hex digits), \\r, \\n, \\t or \\\\';

/**
 * The two text notations: ours (`\xHH`, `\0`) and Packet Sender's, where `\HH`
 * is one byte, so payloads copied from it send the same bytes.
 */
export type TextNotation = 'ours' | 'packet-sender';

function scanEscapes(text: string, notation: TextNotation): LocatedSegments | CodecProblem {
  const segments: EscapedSegment[] = [];
  const starts: number[] = [];
  const length = text.length;
  let pieces = ''; // decoded text of the current text segment, up to `plainStart`
  let plainStart = 0; // start of the verbatim run not yet copied into `pieces`
  let textStart = -1; // source start of the current text segment
  let bytes: number[] | null = null;
  let bytesStart = 0;

  const closeText = (end: number): void => {
    if (textStart < 0) return;
    pieces += text.slice(plainStart, end);
    if (pieces !== '') {
      segments.push({ kind: 'text', text: pieces });
      starts.push(textStart);
    }
    pieces = '';
    textStart = -1;
  };
  const closeBytes = (): void => {
    if (bytes === null) return;
    segments.push({ kind: 'bytes', bytes: Uint8Array.from(bytes) });
    starts.push(bytesStart);
    bytes = null;
  };

  let index = text.indexOf('\\');
  if (index < 0) {
    return length === 0
      ? { segments, starts }
      : { segments: [{ kind: 'text', text }], starts: [0] };
  }
  let cursor = 0;
  while (index >= 0) {
    // Plain characters between cursor and the backslash belong to a text segment.
    if (index > cursor) {
      closeBytes();
      if (textStart < 0) {
        textStart = cursor;
        plainStart = cursor;
      }
    }
    if (index + 1 >= length) {
      return {
        problem: `a lone "\\" at position ${index + 1} ends the text: write \\\\ for a backslash`,
        position: index + 1,
      };
    }
    const next = text.charCodeAt(index + 1);
    const byteDigits = notation === 'packet-sender' ? index + 1 : next === 0x78 ? index + 2 : -1;
    if (byteDigits > 0) {
      // A raw byte: \xHH in ours, \HH in Packet Sender's.
      const high = byteDigits < length ? hexValue(text.charCodeAt(byteDigits)) : -1;
      const low = byteDigits + 1 < length ? hexValue(text.charCodeAt(byteDigits + 1)) : -1;
      if (high >= 0 && low >= 0) {
        closeText(index);
        if (bytes === null) {
          bytes = [];
          bytesStart = index;
        }
        bytes.push((high << 4) | low);
        cursor = byteDigits + 2;
        index = text.indexOf('\\', cursor);
        continue;
      }
      if (notation === 'ours') {
        return {
          problem: `"\\x" at position ${index + 1} must be followed by two hex digits`,
          position: index + 1,
        };
      }
    }
    let decoded: string | null = null;
    switch (next) {
      case 0x72: // r
        decoded = '\r';
        break;
      case 0x6e: // n
        decoded = '\n';
        break;
      case 0x74: // t
        decoded = '\t';
        break;
      case 0x5c: // backslash
        decoded = '\\';
        break;
      case 0x7b: // {: a brace that would otherwise start a macro
        decoded = '{';
        break;
      case 0x30: {
        // 0: in ours a NUL, but "\01" could mean 01 (Packet Sender) or NUL then "1".
        if (notation === 'packet-sender') break;
        const after = index + 2 < length ? text.charCodeAt(index + 2) : -1;
        if (after >= 0x30 && after <= 0x39) {
          return {
            problem: `"\\0" followed by a digit at position ${index + 1} is ambiguous: write \\x00 for a zero byte (\\x00${String.fromCharCode(after)} for a zero byte and then "${String.fromCharCode(after)}"), or choose Packet Sender notation where \\HH is one byte`,
            position: index + 1,
          };
        }
        decoded = '\0';
        break;
      }
      default:
        break;
    }
    if (decoded === null) {
      const shown =
        next < 0x20 || next === 0x7f || (next >= 0xd800 && next <= 0xdfff)
          ? `"\\" followed by ${quoteCharacter(characterAt(text, index + 1))}`
          : `"\\${characterAt(text, index + 1)}"`;
      return {
        problem: `unknown escape ${shown} at position ${index + 1}: ${notation === 'ours' ? escapeHelp : packetSenderHelp}`,
        position: index + 1,
      };
    }
    closeBytes();
    if (textStart < 0) {
      textStart = index;
      plainStart = index;
    }
    pieces += text.slice(plainStart, index) + decoded;
    cursor = index + 2;
    plainStart = cursor;
    index = text.indexOf('\\', cursor);
  }
  if (cursor < length) {
    closeBytes();
    if (textStart < 0) {
      textStart = cursor;
      plainStart = cursor;
    }
  }
  closeText(length);
  closeBytes();
  return { segments, starts };
}

/** Position (1-based) in the source of the character at `index` of a text segment. */
function sourcePosition(source: string, segmentStart: number, index: number): number {
  let position = segmentStart;
  for (let decoded = 0; decoded < index; decoded++) {
    // Inside a text segment only two-character escapes occur.
    position += source.charCodeAt(position) === 0x5c ? 2 : 1;
  }
  return position + 1;
}

// ---------------------------------------------------------------------------
// Base64

const base64Alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** Character code -> 6-bit value; 64 for whitespace, 65 for '=', 255 for anything else. */
const base64Values = new Uint8Array(256).fill(255);
for (let i = 0; i < 64; i++) base64Values[base64Alphabet.charCodeAt(i)] = i;
base64Values[0x2d] = 62; // '-' (url-safe)
base64Values[0x5f] = 63; // '_' (url-safe)
for (const code of [0x20, 0x09, 0x0a, 0x0d, 0x0c]) base64Values[code] = 64;
base64Values[0x3d] = 65;

/**
 * The two base64 characters for every 12-bit value, as one 16-bit unit whose
 * low byte is the first character (so, written into a Uint16Array on a
 * little-endian machine, the bytes come out in order).
 */
const base64Pairs = new Uint16Array(4096);
const littleEndian = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
for (let i = 0; i < 4096; i++) {
  const first = base64Alphabet.charCodeAt(i >> 6);
  const second = base64Alphabet.charCodeAt(i & 63);
  base64Pairs[i] = littleEndian ? first | (second << 8) : (first << 8) | second;
}

/**
 * Reads base64: whitespace is ignored, the standard (`+/`) and url-safe
 * (`-_`) alphabets are both accepted, and `=` padding is optional but, when
 * present, must complete the last group of four.
 */
export function parseBase64(text: string): Uint8Array | CodecProblem {
  const length = text.length;
  const out = new Uint8Array(Math.ceil((length * 3) / 4));
  let count = 0;
  let accumulator = 0;
  let digits = 0; // data characters read
  let lastDataIndex = -1;
  let padding = 0;
  let firstPadIndex = -1;
  for (let index = 0; index < length; index++) {
    const code = text.charCodeAt(index);
    const value = code < 256 ? (base64Values[code] ?? 255) : 255;
    if (value < 64) {
      if (padding > 0) {
        return {
          problem: `${quoteCharacter(characterAt(text, index))} at position ${index + 1} comes after the "=" padding`,
          position: index + 1,
        };
      }
      accumulator = (accumulator << 6) | value;
      digits++;
      lastDataIndex = index;
      if ((digits & 3) === 0) {
        out[count++] = (accumulator >> 16) & 0xff;
        out[count++] = (accumulator >> 8) & 0xff;
        out[count++] = accumulator & 0xff;
        accumulator = 0;
      }
    } else if (value === 64) {
      continue;
    } else if (value === 65) {
      if (padding === 0) firstPadIndex = index;
      padding++;
    } else {
      return {
        problem: `${quoteCharacter(characterAt(text, index))} at position ${index + 1} is not a base64 character`,
        position: index + 1,
      };
    }
  }
  const rest = digits & 3;
  if (rest === 1) {
    return {
      problem: `base64 cannot end with a single character in its last group of four: ${quoteCharacter(characterAt(text, lastDataIndex))} at position ${lastDataIndex + 1} is left over`,
      position: lastDataIndex + 1,
    };
  }
  if (padding > 0 && ((digits + padding) & 3) !== 0) {
    return {
      problem: `"=" padding at position ${firstPadIndex + 1} does not complete a group of four characters`,
      position: firstPadIndex + 1,
    };
  }
  if (rest === 2) {
    out[count++] = (accumulator >> 4) & 0xff;
  } else if (rest === 3) {
    out[count++] = (accumulator >> 10) & 0xff;
    out[count++] = (accumulator >> 2) & 0xff;
  }
  return count === out.length ? out : out.slice(0, count);
}

/** ASCII bytes to a string: the runtime's UTF-8 decoder is the fastest way there. */
const asciiDecoder = new TextDecoder();
const asciiEncoder = new TextEncoder();

/** Scratch space for base64 text, reused between calls (grown, never shrunk past 1 MiB). */
let base64Out = new Uint16Array(1024);
let base64In = new Uint8Array(4096);
const scratchLimit = 1 << 20;

/** The runtime's own Uint8Array#toBase64 (ES2026; Chromium has it, Node 20 does not). */
const nativeToBase64 = (Uint8Array.prototype as { toBase64?: () => string }).toBase64;

/** Standard base64 with padding; the same output as Node's `Buffer#toString('base64')`. */
export function toBase64(bytes: Uint8Array): string {
  if (nativeToBase64 !== undefined) return nativeToBase64.call(bytes);
  const length = bytes.length;
  const units = Math.ceil(length / 3) * 2;
  let out = base64Out;
  if (out.length < units) {
    out = new Uint16Array(Math.max(units, out.length * 2));
    if (out.length <= scratchLimit) base64Out = out;
  }
  const whole = length - (length % 3);
  let o = 0;
  for (let i = 0; i < whole; i += 3) {
    const triple = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o] = base64Pairs[triple >>> 12]!;
    out[o + 1] = base64Pairs[triple & 0xfff]!;
    o += 2;
  }
  let text = asciiDecoder.decode(new Uint8Array(out.buffer, 0, o * 2));
  const rest = length - whole;
  if (rest === 1) {
    const value = bytes[whole]!;
    text += base64Alphabet[value >> 2]! + base64Alphabet[(value & 3) << 4]! + '==';
  } else if (rest === 2) {
    const value = (bytes[whole]! << 8) | bytes[whole + 1]!;
    text +=
      base64Alphabet[value >> 10]! +
      base64Alphabet[(value >> 4) & 63]! +
      base64Alphabet[(value & 15) << 2]! +
      '=';
  }
  return text;
}

/** Decodes whole groups of four without whitespace; null when the text is anything else. */
function fastBase64(text: string): Uint8Array | null {
  const length = text.length;
  if ((length & 3) !== 0) return null;
  let input = base64In;
  if (input.length < length) {
    input = new Uint8Array(Math.max(length, input.length * 2));
    if (input.length <= scratchLimit) base64In = input;
  }
  const { read, written } = asciiEncoder.encodeInto(text, input);
  if (read !== length || written !== length) return null; // not ASCII
  let end = length;
  if (end > 0 && input[end - 1] === 0x3d) end--;
  if (end > 0 && input[end - 1] === 0x3d) end--;
  const rest = end & 3;
  if (rest === 1) return null;
  const whole = end - rest;
  const out = new Uint8Array((whole / 4) * 3 + (rest === 0 ? 0 : rest - 1));
  const values = base64Values;
  let o = 0;
  for (let i = 0; i < whole; i += 4) {
    const a = values[input[i]!]!;
    const b = values[input[i + 1]!]!;
    const c = values[input[i + 2]!]!;
    const d = values[input[i + 3]!]!;
    if ((a | b | c | d) >= 64) return null;
    const value = (a << 18) | (b << 12) | (c << 6) | d;
    out[o] = value >> 16;
    out[o + 1] = (value >> 8) & 0xff;
    out[o + 2] = value & 0xff;
    o += 3;
  }
  if (rest > 0) {
    const a = values[input[whole]!]!;
    const b = values[input[whole + 1]!]!;
    const c = rest === 3 ? values[input[whole + 2]!]! : 0;
    if ((a | b | c) >= 64) return null;
    out[o] = (a << 2) | (b >> 4);
    if (rest === 3) out[o + 1] = ((b & 15) << 4) | (c >> 2);
  }
  return out;
}

/**
 * Decodes base64 (either alphabet, padding optional, whitespace ignored).
 * Meant for trusted text such as log previews; throws a SockscopeError
 * (ERR_INVALID_ARGS) naming the position when the text is not base64.
 */
export function fromBase64(text: string): Uint8Array {
  const fast = fastBase64(text);
  if (fast !== null) return fast;
  const parsed = parseBase64(text);
  if (parsed instanceof Uint8Array) return parsed;
  throw new SockscopeError(ErrorCode.invalidArgs, `base64: ${parsed.problem}`, {
    position: parsed.position,
  });
}

// ---------------------------------------------------------------------------
// Payloads

/** Reads a payload's text (macros already blanked) in its format, without encoding text. */
function parseFormat(format: PayloadFormat, text: string): unknown {
  switch (format) {
    case 'hex':
      return parseHex(text);
    case 'base64':
      return parseBase64(text);
    case 'packet-sender':
      return scanEscapes(text, 'packet-sender');
    default:
      return scanEscapes(text, 'ours');
  }
}

/**
 * What a payload's text would be refused for (with its position), or null when
 * it reads. Macros are checked first, then the text around them in its format.
 */
export function payloadProblem(format: PayloadFormat, text: string): string | null {
  let readable = text;
  if (format !== 'base64') {
    const macros = findMacros(text, format);
    if (!Array.isArray(macros)) return macros.problem;
    readable = blankMacros(text, macros);
  }
  const problem = parseFormat(format, readable);
  return isCodecProblem(problem) ? problem.problem : null;
}

/** The bytes a line ending adds. */
export function lineEndingBytes(lineEnding: LineEnding): Uint8Array {
  switch (lineEnding) {
    case 'lf':
      return Uint8Array.of(0x0a);
    case 'crlf':
      return Uint8Array.of(0x0d, 0x0a);
    default:
      return new Uint8Array(0);
  }
}

const emptyBytes = new Uint8Array(0);

function refuse(problem: CodecProblem): never {
  throw new SockscopeError(ErrorCode.invalidArgs, `payload.text: ${problem.problem}`, {
    position: problem.position,
  });
}

/** The parts as one array (the one part itself when there is only one). */
export function concatenate(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  let total = 0;
  for (const part of parts) total += part.length;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * The line ending a payload carries. It is a text option (typed text, plain or in
 * Packet Sender's notation): hex and base64 are exact bytes, so they carry none.
 */
export function payloadLineEnding(
  payload: Pick<PayloadInput, 'format' | 'lineEnding'>,
): Uint8Array {
  return payload.format === 'text' || payload.format === 'packet-sender'
    ? lineEndingBytes(payload.lineEnding)
    : emptyBytes;
}

/**
 * A payload's literal text as bytes (macros are not read here: see template.ts):
 * text segments go through `encodeText` in the payload's charset, `\xHH` bytes as
 * they are, then the line ending. The line ending is a text option: hex and base64
 * payloads are exact bytes (a Modbus frame in hex goes out as typed), so it is
 * ignored for them.
 * Throws SockscopeError(ERR_INVALID_ARGS, 'payload.text: …') naming the
 * position in the typed text of what cannot be read or encoded.
 */
export function encodePayload(payload: PayloadInput, encodeText: TextEncoderFunction): Uint8Array {
  const parts: Uint8Array[] = [];
  if (payload.format === 'hex' || payload.format === 'base64') {
    const parsed = payload.format === 'hex' ? parseHex(payload.text) : parseBase64(payload.text);
    if (isCodecProblem(parsed)) refuse(parsed);
    parts.push(parsed);
  } else {
    const notation = payload.format === 'packet-sender' ? 'packet-sender' : 'ours';
    const scanned = scanEscapes(payload.text, notation);
    if (isCodecProblem(scanned)) refuse(scanned);
    scanned.segments.forEach((segment, index) => {
      if (segment.kind === 'bytes') {
        parts.push(segment.bytes);
        return;
      }
      try {
        parts.push(encodeText(segment.text, payload.charset));
      } catch (error) {
        const details = error instanceof SockscopeError ? error.details : undefined;
        const position = details?.position;
        const character = details?.character;
        if (typeof position !== 'number' || typeof character !== 'string') throw error;
        const where = sourcePosition(payload.text, scanned.starts[index]!, position - 1);
        throw new SockscopeError(
          ErrorCode.invalidArgs,
          unencodableMessage(character, where, payload.charset),
          { ...details, position: where },
        );
      }
    });
  }
  const ending = payloadLineEnding(payload);
  if (ending.length > 0) parts.push(ending);
  if (parts.length === 0) return new Uint8Array(0);
  return concatenate(parts);
}
