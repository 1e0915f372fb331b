import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
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

/** One call searches at most this many payload bytes; the caller asks again for the rest. */
export const searchBytesPerCall = 64 * 1024 * 1024;
/** Searching gives the event loop a turn at least this often. */
const workSliceMs = 10;
/**
 * When a search last gave the event loop a turn, across calls: calls that follow each
 * other as promise continuations never reach the loop by themselves.
 */
let lastTurnAt = performance.now();

/**
 * The ids among `ids` whose full bytes hold the query, by the same test the
 * renderer's filter runs on previews. Evicted ids are simply not matched. It
 * stops once it has searched {@link searchBytesPerCall} bytes and says how many
 * ids it got through (`searched`), yielding to the event loop as it goes.
 */
export async function searchLog(
  store: LogStore,
  search: LogSearch,
): Promise<{ matches: number[]; searched: number }> {
  const query = prepareQuery(search.query, search.mode);
  const matches: number[] = [];
  let bytes = 0;
  let searched = 0;
  for (const id of search.ids) {
    if (bytes >= searchBytesPerCall) break;
    searched += 1;
    // Looked up again after each pause: a record evicted meanwhile is not read.
    const record = store.get(id);
    if (record === undefined) continue;
    bytes += record.bytes.byteLength;
    if (
      query === null ||
      recordMatches(record, query, (each) =>
        decodeForDisplay(each.bytes, readingCharset(each, search.charset)),
      )
    )
      matches.push(id);
    if (performance.now() - lastTurnAt > workSliceMs) {
      await nextTurn();
      lastTurnAt = performance.now();
    }
  }
  return { matches, searched };
}
