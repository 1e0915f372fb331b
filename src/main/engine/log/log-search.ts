import { readingCharset } from '@shared/contract/log';
import type { DisplayCharset } from '@shared/contract/log';
import { decodeForDisplay } from '@shared/codecs/display';
import { prepareQuery, recordMatches } from '@shared/log-filter';
import type { LogStore } from './log-store';

export interface LogSearch {
  ids: readonly number[];
  query: string;
  mode: 'text' | 'hex';
  charset: DisplayCharset;
}

/**
 * The ids among `ids` whose full bytes hold the query, by the same test the
 * renderer's filter runs on previews. Evicted ids are simply not matched.
 */
export function searchLog(store: LogStore, search: LogSearch): number[] {
  const query = prepareQuery(search.query, search.mode);
  const matches: number[] = [];
  for (const id of search.ids) {
    const record = store.get(id);
    if (record === undefined) continue;
    if (
      query === null ||
      recordMatches(record, query, (each) =>
        decodeForDisplay(each.bytes, readingCharset(each, search.charset)),
      )
    )
      matches.push(id);
  }
  return matches;
}
