import { readingCharset } from '@shared/contract/log';
import type { DisplayCharset } from '@shared/contract/log';
import { decodeForDisplay, matchesHex } from '@shared/codecs/display';
import { parseHex } from '@shared/codecs/payload';
import type { LogStore } from './log-store';

export interface LogSearch {
  ids: readonly number[];
  query: string;
  mode: 'text' | 'hex';
  charset: DisplayCharset;
}

/**
 * The ids among `ids` whose full bytes hold the query: hex as bytes, text as the
 * log displays it (case-insensitive), so the result agrees with the renderer's own
 * filter on previews. Evicted ids are simply not matched.
 */
export function searchLog(store: LogStore, search: LogSearch): number[] {
  const needle = search.mode === 'hex' ? parseHex(search.query) : null;
  const lowered = search.query.toLowerCase();
  const matches: number[] = [];
  for (const id of search.ids) {
    const record = store.get(id);
    if (record === undefined) continue;
    const found =
      record.direction === 'event'
        ? search.mode === 'text' && (record.message ?? '').toLowerCase().includes(lowered)
        : needle instanceof Uint8Array
          ? matchesHex(record.bytes, needle)
          : decodeForDisplay(record.bytes, readingCharset(record, search.charset))
              .toLowerCase()
              .includes(lowered);
    if (found) matches.push(id);
  }
  return matches;
}
