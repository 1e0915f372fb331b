import { matchesHex } from './codecs/display';
import { parseHex } from './codecs/payload';

// The log filter's text/hex test, one definition for the renderer (on previews)
// and the engine's log.search (on full bytes), so both agree on what matches.

/** A filter query made ready once and run on many records; null matches everything. */
export type PreparedQuery = { mode: 'hex'; bytes: Uint8Array } | { mode: 'text'; lowered: string };

/** A hex query that does not parse matches everything (the form says why, beside the field). */
export function prepareQuery(query: string, mode: 'text' | 'hex'): PreparedQuery | null {
  const trimmed = query.trim();
  if (trimmed === '') return null;
  if (mode === 'text') return { mode, lowered: trimmed.toLowerCase() };
  const parsed = parseHex(trimmed);
  return parsed instanceof Uint8Array ? { mode, bytes: parsed } : null;
}

export interface FilterableRecord {
  direction: 'in' | 'out' | 'event';
  message: string | null;
  bytes: Uint8Array;
}

/**
 * Whether a record holds the query: hex as bytes in its payload, text in its
 * payload as the log shows it (`textOf`, so `\r\n` matches CR LF) or in an
 * event's words (`eventText`: the renderer's, in the user's language), ignoring case.
 */
export function recordMatches<R extends FilterableRecord>(
  record: R,
  query: PreparedQuery,
  textOf: (record: R) => string,
  eventText: (record: R) => string = (event) => event.message ?? '',
): boolean {
  if (query.mode === 'hex')
    return record.direction !== 'event' && matchesHex(record.bytes, query.bytes);
  const text = record.direction === 'event' ? eventText(record) : textOf(record);
  return text.toLowerCase().includes(query.lowered);
}
