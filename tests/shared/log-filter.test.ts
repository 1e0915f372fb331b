import { describe, expect, it } from 'vitest';
import { prepareQuery, recordMatches } from '@shared/log-filter';
import type { FilterableRecord } from '@shared/log-filter';

const packet = (text: string): FilterableRecord => ({
  direction: 'in',
  message: null,
  bytes: new Uint8Array(Buffer.from(text, 'latin1')),
});
const event = (message: string): FilterableRecord => ({
  direction: 'event',
  message,
  bytes: new Uint8Array(0),
});
const shown = (record: FilterableRecord) => Buffer.from(record.bytes).toString('latin1');

describe('the log filter', () => {
  it('matches text in payloads as shown and in event words, ignoring case', () => {
    const query = prepareQuery('  HeLLo ', 'text')!;
    expect(recordMatches(packet('say hello\r\n'), query, shown)).toBe(true);
    expect(recordMatches(packet('goodbye'), query, shown)).toBe(false);
    expect(recordMatches(event('Hello from the peer'), query, shown)).toBe(true);
  });

  it('matches hex against payload bytes only, never an event', () => {
    const query = prepareQuery('0d 0a', 'hex')!;
    expect(recordMatches(packet('a\r\nb'), query, shown)).toBe(true);
    expect(recordMatches(packet('a\n\rb'), query, shown)).toBe(false);
    expect(recordMatches(event('0d 0a'), query, shown)).toBe(false);
  });

  it('lets everything through for an empty query or hex that does not parse', () => {
    expect(prepareQuery('   ', 'text')).toBeNull();
    expect(prepareQuery('0g', 'hex')).toBeNull();
  });
});
