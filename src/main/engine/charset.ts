/**
 * Text to bytes and back in the charsets a payload may use, on the Node side
 * (iconv-lite for GBK). Encoding refuses what a charset cannot write instead
 * of substituting '?', naming the character and its position.
 */
import iconv from 'iconv-lite';
import type { Charset } from '@shared/contract/payload';
import { unencodableMessage } from '@shared/codecs/payload';
import { ErrorCode, SockscopeError } from '@shared/errors';

function asPlainBytes(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** The refusal for the character at `index` (0-based UTF-16 index) of `text`. */
function unencodable(text: string, index: number, charset: Charset): SockscopeError {
  const character = String.fromCodePoint(text.codePointAt(index) ?? 0);
  const position = index + 1;
  return new SockscopeError(
    ErrorCode.invalidArgs,
    unencodableMessage(character, position, charset),
    { position, character, charset },
  );
}

/** A surrogate without its other half: no charset can write it. */
const loneSurrogate = /\p{Cs}/u;

/** The character iconv-lite writes for U+E7C7 in GBK is a broken three-byte sequence. */
const gbkBroken = 0xe7c7;

/** Index of the first character iconv-lite replaced with '?' (or wrote broken) in GBK. */
function firstUnencodableGbk(text: string, encoded: Uint8Array): number {
  let j = 0;
  for (let i = 0; i < text.length;) {
    const code = text.codePointAt(i)!;
    const size = code > 0xffff ? 2 : 1;
    if (code < 0x80) j += 1;
    else {
      const byte = encoded[j];
      if (code === gbkBroken || byte === 0x3f || byte === undefined) return i;
      j += byte === 0x80 ? 1 : 2;
    }
    i += size;
  }
  return -1;
}

/**
 * Text as bytes in a charset. Throws SockscopeError(ERR_INVALID_ARGS,
 * 'payload.text: "中" at position N cannot be written in Latin-1') — details
 * { position, character, charset } — for a character the charset cannot
 * write (positions are 1-based UTF-16 indexes into `text`).
 */
export function encodeText(text: string, charset: Charset): Uint8Array {
  switch (charset) {
    case 'latin1': {
      for (let i = 0; i < text.length; i++) {
        if (text.charCodeAt(i) > 0xff) throw unencodable(text, i, charset);
      }
      return asPlainBytes(Buffer.from(text, 'latin1'));
    }
    case 'gbk': {
      const encoded = asPlainBytes(iconv.encode(text, 'gbk'));
      let questionMarks = 0;
      for (let i = text.indexOf('?'); i !== -1; i = text.indexOf('?', i + 1)) questionMarks++;
      let written = 0;
      for (let i = encoded.indexOf(0x3f); i !== -1; i = encoded.indexOf(0x3f, i + 1)) written++;
      // In GBK 0x3F is never part of a two-byte character, so every extra one is a substitute.
      if (written !== questionMarks || text.includes(String.fromCharCode(gbkBroken))) {
        const index = firstUnencodableGbk(text, encoded);
        if (index !== -1) throw unencodable(text, index, charset);
      }
      return encoded;
    }
    default: {
      const lone = loneSurrogate.exec(text);
      if (lone !== null) throw unencodable(text, lone.index, charset);
      return asPlainBytes(Buffer.from(text, 'utf8'));
    }
  }
}
