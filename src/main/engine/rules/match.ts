import iconv from 'iconv-lite';
import type { Matcher } from '@shared/contract/heartbeat';
import type { Charset } from '@shared/contract/payload';
import { matchesHexPattern, parseHexPattern } from '@shared/codecs/hex-pattern';
import { encodeText } from '../charset';

/** What a match found: for a regex, its captures ($1…, $<name>); otherwise none. */
export interface MatchResult {
  captures: readonly (string | undefined)[];
  named: Readonly<Record<string, string | undefined>>;
}

export type InboundMatcher = (bytes: Uint8Array) => MatchResult | null;

const noCaptures: MatchResult = { captures: [], named: {} };

function decode(bytes: Uint8Array, charset: Charset): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (charset === 'gbk') return iconv.decode(buffer, 'gbk');
  return buffer.toString(charset === 'latin1' ? 'latin1' : 'utf8');
}

function startsWithAt(data: Uint8Array, needle: Uint8Array, at: number): boolean {
  if (at < 0 || at + needle.length > data.length) return false;
  for (let index = 0; index < needle.length; index++)
    if (data[at + index] !== needle[index]) return false;
  return true;
}

/**
 * A matcher the boundary already accepted, ready for every inbound packet. Text
 * kinds compare bytes with the value written in the charset (no decoding per
 * packet); a regex reads the packet decoded in the charset.
 */
export function compileMatcher(matcher: Matcher): InboundMatcher {
  switch (matcher.kind) {
    case 'hex': {
      const pattern = parseHexPattern(matcher.value);
      if (typeof pattern === 'string') throw new Error(pattern);
      return (bytes) => (matchesHexPattern(pattern, bytes) ? noCaptures : null);
    }
    case 'regex': {
      const regex = new RegExp(matcher.value, 'u');
      return (bytes) => {
        const found = regex.exec(decode(bytes, matcher.charset));
        return found === null ? null : { captures: [...found], named: found.groups ?? {} };
      };
    }
    default: {
      const needle = encodeText(matcher.value, matcher.charset);
      const kind = matcher.kind;
      return (bytes) => {
        const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        const hit =
          kind === 'exact'
            ? data.length === needle.length && startsWithAt(data, needle, 0)
            : kind === 'prefix'
              ? startsWithAt(data, needle, 0)
              : kind === 'suffix'
                ? startsWithAt(data, needle, data.length - needle.length)
                : data.indexOf(needle) >= 0;
        return hit ? noCaptures : null;
      };
    }
  }
}
