/**
 * Display codecs for the packet log: bytes as readable text in a charset,
 * with everything invisible made visible, and as hex. Pure TypeScript with no
 * Node or DOM imports (TextDecoder is a global in both).
 *
 * The text form uses the composer's escape language, so what the log shows
 * can be pasted back into a text payload and sends the same bytes:
 * CR `\r`, LF `\n`, TAB `\t`, NUL `\0`, backslash `\\`, and `\xHH` (lowercase)
 * for every other control byte and for every byte the charset cannot decode.
 * Characters that would be invisible or would reorder the row — C1 controls,
 * bidirectional controls, line/paragraph separators and the BOM — are also
 * shown as the `\xHH` of their bytes.
 */
import type { Charset } from '../contract/payload';

// ---------------------------------------------------------------------------
// Building strings. The walkers write UTF-16 code units into one scratch
// buffer and turn it into a string with the runtime's native UTF-16LE decoder
// (String.fromCharCode.apply is several times slower past a few dozen units).
// What is written never holds a lone surrogate, so the decoder changes nothing.

/** Units written before the scratch buffer is turned into a string. */
const flushAt = 16384;
/** Room past flushAt: one step writes at most 16 units. */
const scratch = new Uint16Array(flushAt + 64);
const littleEndian = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
/** ignoreBOM: a U+FEFF at the start is text to keep, not a mark to drop. */
const utf16 = littleEndian ? new TextDecoder('utf-16le', { ignoreBOM: true }) : null;
/** For input that is all ASCII (then UTF-8 is ASCII). */
const ascii = new TextDecoder();
const fromCharCodeChunk = 4096;

function unitsString(units: Uint16Array, length: number): string {
  if (length === 0) return '';
  if (utf16 !== null && length > 32) return utf16.decode(units.subarray(0, length));
  let result = '';
  for (let start = 0; start < length; start += fromCharCodeChunk) {
    const end = Math.min(length, start + fromCharCodeChunk);
    result += String.fromCharCode.apply(null, units.subarray(start, end) as unknown as number[]);
  }
  return result;
}

const hexDigitCodes = Uint16Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

/** Writes `\xHH` for a byte; returns the new length. */
function putHexEscape(out: Uint16Array, o: number, byte: number): number {
  out[o] = 0x5c;
  out[o + 1] = 0x78;
  out[o + 2] = hexDigitCodes[byte >> 4]!;
  out[o + 3] = hexDigitCodes[byte & 15]!;
  return o + 4;
}

/**
 * Writes an ASCII byte as shown in the log (escaped when it is not printable, or
 * is `\`). A NUL before a digit is `\x00`: `\0` then a digit would not read back.
 */
function putAscii(out: Uint16Array, o: number, byte: number, next: number | undefined): number {
  if (byte >= 0x20 && byte < 0x7f && byte !== 0x5c) {
    out[o] = byte;
    return o + 1;
  }
  let letter: number;
  switch (byte) {
    case 0x0d:
      letter = 0x72; // r
      break;
    case 0x0a:
      letter = 0x6e; // n
      break;
    case 0x09:
      letter = 0x74; // t
      break;
    case 0x00:
      if (next !== undefined && next >= 0x30 && next <= 0x39) return putHexEscape(out, o, byte);
      letter = 0x30; // 0
      break;
    case 0x5c:
      letter = 0x5c;
      break;
    default:
      return putHexEscape(out, o, byte);
  }
  out[o] = 0x5c;
  out[o + 1] = letter;
  return o + 2;
}

/**
 * A byte the charset cannot decode: `\xHH` when escaping. When matching it
 * becomes U+10FF00+byte (the end of plane 16's private use area, as a
 * surrogate pair), so a needle's `\xHH` finds the same undecodable byte and
 * never a real character.
 */
function putUndecodable(out: Uint16Array, o: number, byte: number, escape: boolean): number {
  if (escape) return putHexEscape(out, o, byte);
  out[o] = 0xdbff;
  out[o + 1] = 0xdf00 + byte;
  return o + 2;
}

/** Writes a code point as one or two UTF-16 units. */
function putCodePoint(out: Uint16Array, o: number, code: number): number {
  if (code < 0x10000) {
    out[o] = code;
    return o + 1;
  }
  const offset = code - 0x10000;
  out[o] = 0xd800 + (offset >> 10);
  out[o + 1] = 0xdc00 + (offset & 0x3ff);
  return o + 2;
}

/** Characters shown as their bytes: invisible, or able to reorder the rest of the row. */
function isHidden(code: number): boolean {
  if (code <= 0x9f) return code >= 0x80; // C1 controls
  if (code < 0x061c) return false;
  return (
    code === 0x061c || // Arabic letter mark
    code === 0x200e || // left-to-right mark
    code === 0x200f || // right-to-left mark
    (code >= 0x2028 && code <= 0x202e) || // line/paragraph separators, bidi embeddings
    (code >= 0x2066 && code <= 0x2069) || // bidi isolates
    code === 0xfeff // byte order mark / zero width no-break space
  );
}

// ---------------------------------------------------------------------------
// Per-charset walkers. Each starts at `start` (everything before it showed as
// itself and is already in `prefix`).

function walkUtf8(bytes: Uint8Array, start: number, prefix: string, escape: boolean): string {
  const out = scratch;
  const n = bytes.length;
  let result = prefix;
  let o = 0;
  let i = start;
  while (i < n) {
    if (o >= flushAt) {
      result += unitsString(out, o);
      o = 0;
    }
    const b = bytes[i]!;
    if (b < 0x80) {
      if (escape) o = putAscii(out, o, b, bytes[i + 1]);
      else out[o++] = b;
      i++;
      continue;
    }
    let need: number;
    let lower = 0x80;
    let upper = 0xbf;
    let code: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      code = b & 0x1f;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      code = b & 0x0f;
      if (b === 0xe0) lower = 0xa0;
      else if (b === 0xed) upper = 0x9f; // no surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      code = b & 0x07;
      if (b === 0xf0) lower = 0x90;
      else if (b === 0xf4) upper = 0x8f; // nothing above U+10FFFF
    } else {
      o = putUndecodable(out, o, b, escape);
      i++;
      continue;
    }
    let k = 1;
    for (; k <= need; k++) {
      const c = i + k < n ? bytes[i + k]! : -1;
      if (c < lower || c > upper) break;
      lower = 0x80;
      upper = 0xbf;
      code = (code << 6) | (c & 0x3f);
    }
    if (k <= need) {
      // An ill-formed or truncated sequence: each of its bytes is shown on its own
      // and the byte that broke it is read again as the start of what follows.
      for (let j = 0; j < k; j++) o = putUndecodable(out, o, bytes[i + j]!, escape);
      i += k;
      continue;
    }
    if (escape && isHidden(code)) {
      for (let j = 0; j <= need; j++) o = putHexEscape(out, o, bytes[i + j]!);
    } else {
      o = putCodePoint(out, o, code);
    }
    i += need + 1;
  }
  return result + unitsString(out, o);
}

function walkLatin1(bytes: Uint8Array, start: number, prefix: string, escape: boolean): string {
  const out = scratch;
  const n = bytes.length;
  let result = prefix;
  let o = 0;
  for (let i = start; i < n; i++) {
    if (o >= flushAt) {
      result += unitsString(out, o);
      o = 0;
    }
    const b = bytes[i]!;
    if (b < 0x80) {
      if (escape) o = putAscii(out, o, b, bytes[i + 1]);
      else out[o++] = b;
    } else if (b < 0xa0 && escape) {
      o = putHexEscape(out, o, b); // C1 controls
    } else {
      out[o++] = b; // ISO-8859-1: the byte is the code point
    }
  }
  return result + unitsString(out, o);
}

/** What is used of TextDecoder (typed here: Node's and the DOM's declarations differ). */
interface Decoder {
  decode(input: Uint8Array): string;
}

/**
 * The decoder for GBK text. WHATWG's "gbk" is the gb18030 decoder; asking for
 * "gb18030" gets the same mapping in Chromium and Node (whose "gbk" label is
 * ICU's older windows-936 table). Null when the runtime has no such decoder.
 */
let gbkDecoder: Decoder | null | undefined;

function getGbkDecoder(): Decoder | null {
  if (gbkDecoder === undefined) {
    try {
      gbkDecoder = new TextDecoder('gb18030', { fatal: true });
    } catch {
      gbkDecoder = null;
    }
  }
  return gbkDecoder;
}

function isGbkTrail(byte: number): boolean {
  return (byte >= 0x40 && byte <= 0x7e) || (byte >= 0x80 && byte <= 0xfe);
}

/** Decodes GBK units (0x80 and pairs), or null when something in them does not decode. */
function decodeGbk(decoder: Decoder | null, run: Uint8Array): string | null {
  if (decoder === null) return run.length === 1 && run[0] === 0x80 ? '\u20ac' : null;
  try {
    const text = decoder.decode(run);
    return text.length === 0 || text.includes('\ufffd') ? null : text;
  } catch {
    return null;
  }
}

/**
 * GBK as the encoder writes it: ASCII, 0x80 (the euro sign) and two-byte
 * characters (lead 81–FE, trail 40–7E or 80–FE). GB18030's four-byte forms
 * are not GBK and show as bytes, like any lead byte without a valid trail.
 */
function walkGbk(bytes: Uint8Array, start: number, prefix: string, escape: boolean): string {
  const out = scratch;
  const n = bytes.length;
  const decoder = getGbkDecoder();
  let result = prefix;
  let o = 0;
  let i = start;
  while (i < n) {
    if (o >= flushAt) {
      result += unitsString(out, o);
      o = 0;
    }
    const b = bytes[i]!;
    if (b < 0x80) {
      if (escape) o = putAscii(out, o, b, bytes[i + 1]);
      else out[o++] = b;
      i++;
      continue;
    }
    // A run of GBK units and the ASCII that shows as itself, decoded at once.
    const runStart = i;
    let runEnd = i; // end of the run's last non-ASCII unit
    while (i < n) {
      const lead = bytes[i]!;
      if (lead < 0x80) {
        if (escape && (lead < 0x20 || lead === 0x7f || lead === 0x5c)) break;
        i++;
      } else if (lead === 0x80) {
        runEnd = ++i;
      } else if (lead >= 0x81 && lead <= 0xfe && i + 1 < n && isGbkTrail(bytes[i + 1]!)) {
        i += 2;
        runEnd = i;
      } else break;
    }
    i = runEnd; // trailing ASCII goes the ordinary way
    if (i === runStart) {
      // 0xFF, or a lead byte without a valid trail.
      o = putUndecodable(out, o, b, escape);
      i++;
      continue;
    }
    result += unitsString(out, o);
    o = 0;
    const text = decodeGbk(decoder, bytes.subarray(runStart, i));
    if (text !== null) {
      result += text;
      continue;
    }
    // Something in the run does not decode: go unit by unit.
    for (let j = runStart; j < i;) {
      if (bytes[j]! < 0x80) {
        result += String.fromCharCode(bytes[j]!);
        j++;
        continue;
      }
      const size = bytes[j] === 0x80 ? 1 : 2;
      const unit = decodeGbk(decoder, bytes.subarray(j, j + size));
      if (unit !== null) {
        result += unit;
      } else {
        let length = 0;
        for (let k = 0; k < size; k++) length = putUndecodable(out, length, bytes[j + k]!, escape);
        result += unitsString(out, length);
      }
      j += size;
    }
  }
  return result + unitsString(out, o);
}

/** Length of the leading run of bytes that show as themselves (printable ASCII but `\`). */
export function plainAsciiPrefix(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x20 || b > 0x7e || b === 0x5c) break;
    i++;
  }
  return i;
}

function decode(bytes: Uint8Array, charset: Charset, escape: boolean): string {
  let plain: number;
  if (escape) plain = plainAsciiPrefix(bytes);
  else {
    plain = 0;
    while (plain < bytes.length && bytes[plain]! < 0x80) plain++;
  }
  if (plain === bytes.length) return ascii.decode(bytes);
  const prefix = plain === 0 ? '' : ascii.decode(bytes.subarray(0, plain));
  if (charset === 'latin1') return walkLatin1(bytes, plain, prefix, escape);
  if (charset === 'gbk') return walkGbk(bytes, plain, prefix, escape);
  return walkUtf8(bytes, plain, prefix, escape);
}

/**
 * Bytes as one line of readable text in a charset: control bytes escaped
 * (`\r \n \t \0 \\`, others `\xHH`), each byte the charset cannot decode as
 * `\xHH` (never U+FFFD), and hidden characters (C1 and bidi controls, line and
 * paragraph separators, BOM) as the `\xHH` of their bytes. Latin-1 is true
 * ISO-8859-1 (byte = code point), not windows-1252; its C1 range 80–9F shows
 * as `\xHH`. GBK covers its two-byte form and 0x80 (€).
 */
export function decodeForDisplay(bytes: Uint8Array, charset: Charset): string {
  return decode(bytes, charset, true);
}

// ---------------------------------------------------------------------------
// Hex

const hexPairs: string[] = Array.from({ length: 256 }, (_, byte) =>
  byte.toString(16).padStart(2, '0'),
);

/**
 * Bytes as lowercase hex pairs separated by single spaces (`68 65 6c 6c 6f`).
 * With `max`, only the first `max` bytes are shown, followed by ` …` when
 * some were left out.
 */
export function hexString(bytes: Uint8Array, max?: number): string {
  const shown = max === undefined ? bytes.length : Math.max(0, Math.min(bytes.length, max));
  const suffix = shown < bytes.length ? (shown === 0 ? '…' : ' …') : '';
  if (shown === 0) return suffix;
  const out = scratch;
  let result = '';
  let o = 0;
  for (let i = 0; i < shown; i++) {
    if (o >= flushAt) {
      result += unitsString(out, o);
      o = 0;
    }
    const b = bytes[i]!;
    if (i > 0) out[o++] = 0x20;
    out[o] = hexDigitCodes[b >> 4]!;
    out[o + 1] = hexDigitCodes[b & 15]!;
    o += 2;
  }
  return result + unitsString(out, o) + suffix;
}

/**
 * A classic hex dump, one line per `width` bytes:
 * `00000000  68 65 6c 6c 6f 0d 0a                              hello..` —
 * an 8-digit hex offset, two spaces, the hex column (an extra space after
 * every 8 bytes, padded to full width), two spaces, then the bytes as ASCII
 * with anything not printable as '.'. No bytes, no lines.
 */
export function hexDump(bytes: Uint8Array, width = 16): string[] {
  if (!Number.isInteger(width) || width < 1) {
    throw new RangeError(`hexDump width must be a whole number above 0, not ${width}`);
  }
  const hexWidth = width * 3 - 1 + Math.floor((width - 1) / 8);
  const lines: string[] = [];
  for (let offset = 0; offset < bytes.length; offset += width) {
    const end = Math.min(bytes.length, offset + width);
    let hex = '';
    let ascii = '';
    for (let i = offset; i < end; i++) {
      const b = bytes[i]!;
      const column = i - offset;
      if (column > 0) hex += column % 8 === 0 ? '  ' : ' ';
      hex += hexPairs[b]!;
      ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
    }
    lines.push(`${offset.toString(16).padStart(8, '0')}  ${hex.padEnd(hexWidth)}  ${ascii}`);
  }
  return lines;
}

// ---------------------------------------------------------------------------
// Filtering

/** Index of the first occurrence of `needle` in `haystack` at or after `from`, or -1. */
export function indexOfBytes(haystack: Uint8Array, needle: Uint8Array, from = 0): number {
  const n = needle.length;
  if (n === 0) return from <= haystack.length ? from : -1;
  const first = needle[0]!;
  const last = haystack.length - n;
  let i = haystack.indexOf(first, from);
  while (i !== -1 && i <= last) {
    let j = 1;
    while (j < n && haystack[i + j] === needle[j]) j++;
    if (j === n) return i;
    i = haystack.indexOf(first, i + 1);
  }
  return -1;
}

/** Whether the bytes contain `needle` (an empty needle matches everything). */
export function matchesHex(bytes: Uint8Array, needle: Uint8Array): boolean {
  return indexOfBytes(bytes, needle) !== -1;
}
