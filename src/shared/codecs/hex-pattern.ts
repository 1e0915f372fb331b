/** A hex pattern such as `AA ?? 01`: bytes that must match, and `??` for any byte. */
export interface HexPattern {
  bytes: Uint8Array;
  /** 0xff where the byte must match, 0 for a wildcard. */
  mask: Uint8Array;
}

/** Reads a hex pattern; a string says what is wrong and where (1-based position). */
export function parseHexPattern(text: string): HexPattern | string {
  const bytes: number[] = [];
  const mask: number[] = [];
  const pattern = /[0-9a-fA-F]{2}|\?\?|[\s,]+/y;
  let index = 0;
  while (index < text.length) {
    pattern.lastIndex = index;
    const match = pattern.exec(text);
    if (match === null)
      return `"${text.slice(index, index + 2)}" at position ${index + 1} is neither a hex byte nor ??`;
    const token = match[0];
    if (token === '??') {
      bytes.push(0);
      mask.push(0);
    } else if (!/^[\s,]/.test(token)) {
      bytes.push(Number.parseInt(token, 16));
      mask.push(0xff);
    }
    index += token.length;
  }
  if (bytes.length === 0) return 'must hold at least one byte';
  return { bytes: Uint8Array.from(bytes), mask: Uint8Array.from(mask) };
}

/** True when `data` is exactly the pattern's length and every non-wildcard byte matches. */
export function matchesHexPattern(pattern: HexPattern, data: Uint8Array): boolean {
  if (data.length !== pattern.bytes.length) return false;
  for (let index = 0; index < data.length; index++)
    if ((data[index]! & pattern.mask[index]!) !== pattern.bytes[index]) return false;
  return true;
}
