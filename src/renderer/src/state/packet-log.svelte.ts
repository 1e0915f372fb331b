import type {
  Charset,
  Direction,
  DisplayCharset,
  EngineEvent,
  LogRecordPreview,
  LogStats,
} from '@shared/contract';
import { maxLatestRecords, readingCharset } from '@shared/contract';
import { i18n } from '../lib/i18n.svelte';
import { fromBase64, parseHex } from '@shared/codecs/payload';
import { decodeForDisplay } from '@shared/codecs/display';
import { sessionOrItsPeer } from '@shared/contract/tcp-server';
import { prepareQuery, recordMatches } from '@shared/log-filter';
import { benchMetrics } from '../lib/bench-metrics';
import { api } from '../api';
import { onEngineEvent, onResync } from './events';
import { settings } from './settings.svelte';

/** A record in the renderer's window: the batch's preview, decoded lazily. */
export interface LogRow extends LogRecordPreview {
  bytes: Uint8Array;
  /** Display text per charset, filled when first shown. */
  textCache?: { charset: Charset; text: string };
}

/** A filter's answer for one row: yes, no, or "the preview is cut short; ask the engine". */
type Verdict = boolean | 'ask-engine';

/** Two id-ordered lists as one id-ordered list. */
function mergeById(into: LogRow[], extra: LogRow[]): LogRow[] {
  if (extra.length === 0) return into;
  const merged: LogRow[] = [];
  let i = 0;
  let j = 0;
  while (i < into.length || j < extra.length) {
    if (j >= extra.length || (i < into.length && into[i]!.id < extra[j]!.id))
      merged.push(into[i++]!);
    else if (i < into.length && into[i]!.id === extra[j]!.id) {
      merged.push(into[i++]!);
      j++;
    } else merged.push(extra[j++]!);
  }
  return merged;
}

/** A batch's record as a row: its preview decoded to bytes once. */
function toRow(record: LogRecordPreview): LogRow {
  const row = record as LogRow;
  row.bytes = fromBase64(record.preview);
  return row;
}

/** Payloads as text (control bytes escaped) or as hex (十六进制显示). */
export type LogView = 'text' | 'hex';
export type FilterMode = 'text' | 'hex';

export const defaultWindowRecords = 100_000;

/**
 * The renderer's bounded window of log records. Records arrive in batches and
 * are appended at once; the list re-renders at most once per animation frame.
 * Pausing freezes what is shown while records keep arriving and are counted.
 */
class PacketLog {
  /**
   * What the list shows, published once per frame in which it changed: the
   * filtered window, or its frozen copy while paused. A new object each frame, so
   * views re-render even though the lists underneath grow in place.
   */
  shown = $state.raw<{ rows: readonly LogRow[] }>({ rows: [] });
  paused = $state(false);
  /** Auto-scroll (自动滚屏): the newest record stays in view. */
  follow = $state(true);
  view = $state<LogView>('text');
  /** A display override; `auto` reads each record in the charset it was sent with. */
  charset = $state<DisplayCharset>('auto');
  windowRecords = $state(defaultWindowRecords);
  sessionFilter = $state<string>('');
  directionFilter = $state<'' | Direction>('');
  /** Only records to or from this peer (a UDP socket's sender or destination). */
  peerFilter = $state<{ address: string; port: number } | null>(null);
  query = $state('');
  queryMode = $state<FilterMode>('text');
  /** Records that arrived while paused (shown on resume). */
  arrivedWhilePaused = $state(0);
  /** Records that left the window because it was full (the engine still has them). */
  droppedFromWindow = $state(0);
  /** Records the host never sent to this page because it fell behind (the engine has them). */
  skippedRecords = $state(0);
  engineStats = $state<LogStats | null>(null);
  /** Problem with the hex filter, shown beside the field; null when fine. */
  queryProblem = $derived.by((): string | null => {
    if (this.queryMode !== 'hex' || this.query.trim() === '') return null;
    const parsed = parseHex(this.query);
    return parsed instanceof Uint8Array ? null : parsed.problem;
  });
  /** The engine's latest word about the log (for example, that this page fell behind). */
  notice = $state<Extract<EngineEvent, { type: 'notice' }> | null>(null);
  /** The record whose detail is open. */
  selectedId = $state<number | null>(null);
  /** The keyboard's row in the list (arrow keys move it, Enter opens it). */
  cursorId = $state<number | null>(null);

  private rows: LogRow[] = [];
  private filterGeneration = 0;
  private deepCandidates: LogRow[] = [];
  private deepSearchRunning = false;
  private head = 0;
  private matching: LogRow[] = [];
  private frozen: LogRow[] | null = null;
  private frameRequested = false;
  /** Bench hook: the newest record's time, to measure event-to-screen latency. */
  newestAtUs = 0;

  constructor() {
    onEngineEvent((event) => {
      if (event.type === 'log.records') this.append(event.records);
      else if (event.type === 'log.stats') this.engineStats = event.stats;
      else if (event.type === 'log.cleared') this.clearLocal();
      else if (event.type === 'notice') this.noted(event);
    });
    // A page that (re)loads, or missed batches, shows what the engine still holds.
    onResync(() => void this.loadLatest());
    void this.loadLatest();
    void settings.ready.then(() => {
      const saved = settings.values.log?.windowRecords;
      if (saved !== undefined && saved !== this.windowRecords) {
        this.windowRecords = saved;
        this.trim();
        this.refilter();
      }
    });
  }

  get total(): number {
    return this.rows.length - this.head;
  }

  pause(): void {
    this.frozen = this.matching.slice();
    this.arrivedWhilePaused = 0;
    this.paused = true;
    this.bump();
  }

  resume(): void {
    this.frozen = null;
    this.paused = false;
    this.arrivedWhilePaused = 0;
    this.bump();
  }

  /** Empties this page's list; the engine keeps every record (export still has them). */
  clearView(): void {
    this.clearLocal();
  }

  /** Deletes the engine's stored records too; every page's list empties when it says so. */
  async clearStore(): Promise<void> {
    await api.call('log.clear', {});
  }

  /** Asks the engine for its totals now (the event only comes on eviction and clear). */
  async refreshStats(): Promise<void> {
    this.engineStats = await api.call('log.stats', {});
  }

  /** Ids of the records the list shows now (filtered, or frozen while paused), oldest first. */
  shownIds(): number[] {
    return (this.frozen ?? this.matching).map((row) => row.id);
  }

  setWindowRecords(count: number): void {
    settings.set({ log: { windowRecords: count } });
    this.windowRecords = count;
    this.trim();
    this.refilter();
  }

  /** Re-applies the filters to the whole window (after a filter changed). */
  refilter(): void {
    this.filterGeneration += 1;
    this.deepCandidates = [];
    const test = this.predicate();
    const rows: LogRow[] = [];
    for (let index = this.head; index < this.rows.length; index++) {
      const row = this.rows[index]!;
      if (this.admit(test(row), row)) rows.push(row);
    }
    this.matching = rows;
    if (this.paused) this.frozen = rows.slice();
    this.searchDeeper();
    this.bump();
  }

  textOf(row: LogRow, choice: DisplayCharset = this.charset): string {
    const charset = readingCharset(row, choice);
    if (row.textCache?.charset !== charset)
      row.textCache = { charset, text: decodeForDisplay(row.bytes, charset) };
    return row.textCache.text;
  }

  /**
   * Fills the window with the newest records the engine holds, page by page, and
   * merges them by id with whatever batches brought meanwhile.
   */
  private async loadLatest(): Promise<void> {
    const pages: LogRecordPreview[][] = [];
    let wanted = this.windowRecords;
    let beforeId: number | undefined;
    try {
      while (wanted > 0) {
        const { records, stats } = await api.call('log.latest', {
          limit: Math.min(maxLatestRecords, wanted),
          ...(beforeId === undefined ? {} : { beforeId }),
        });
        this.engineStats = stats;
        const first = records[0];
        if (first === undefined) break;
        pages.unshift(records);
        wanted -= records.length;
        beforeId = first.id;
        if (stats.oldestId === null || first.id <= stats.oldestId) break;
      }
    } catch {
      // The engine is gone or refused: the window keeps what batches bring.
    }
    const older = pages.flat().map(toRow);
    if (older.length === 0) return;
    this.rows = mergeById(older, this.rows.slice(this.head));
    this.head = 0;
    this.trim();
    this.refilter();
  }

  private append(records: LogRecordPreview[]): void {
    const test = this.predicate();
    for (const record of records) {
      const row = toRow(record);
      this.rows.push(row);
      if (this.admit(test(row), row)) this.matching.push(row);
      this.newestAtUs = record.atUs;
    }
    this.searchDeeper();
    if (this.paused) this.arrivedWhilePaused += records.length;
    if (benchMetrics !== null) benchMetrics.records += records.length;
    this.trim();
    this.bump();
  }

  private noted(notice: Extract<EngineEvent, { type: 'notice' }>): void {
    const skipped = notice.skippedRecords ?? 0;
    this.notice = notice;
    this.skippedRecords += skipped;
    if (benchMetrics !== null) benchMetrics.skipped += skipped;
  }

  private trim(): void {
    const excess = this.total - this.windowRecords;
    if (excess <= 0) return;
    this.head += excess;
    this.droppedFromWindow += excess;
    const oldestId = this.rows[this.head]?.id ?? Infinity;
    let drop = 0;
    while (drop < this.matching.length && this.matching[drop]!.id < oldestId) drop++;
    if (drop > 0) this.matching = this.matching.slice(drop);
    if (this.head > 50_000 && this.head * 2 > this.rows.length) {
      this.rows = this.rows.slice(this.head);
      this.head = 0;
    }
  }

  /** True for a match; a row whose cut-short preview did not match waits for the engine. */
  private admit(verdict: Verdict, row: LogRow): boolean {
    if (verdict === 'ask-engine') this.deepCandidates.push(row);
    return verdict === true;
  }

  /**
   * Previews hold a record's first bytes only. For records whose preview was cut
   * short and did not match, the engine searches the full bytes; matches join the
   * list in id order. A newer filter makes older answers moot.
   */
  private searchDeeper(): void {
    if (this.deepSearchRunning || this.deepCandidates.length === 0) return;
    const query = this.query.trim();
    const generation = this.filterGeneration;
    const batch = this.deepCandidates.splice(0, 5000);
    this.deepSearchRunning = true;
    api
      .call('log.search', {
        ids: batch.map((row) => row.id),
        query,
        mode: this.queryMode,
        charset: this.charset,
      })
      .then(({ matches, searched }) => {
        if (generation !== this.filterGeneration) return;
        // The engine searches a bounded number of bytes per call: the rest go back in line.
        if (searched < batch.length) this.deepCandidates.unshift(...batch.slice(searched));
        if (matches.length === 0) return;
        const found = new Set(matches);
        const oldestId = this.rows[this.head]?.id ?? Infinity;
        const extra = batch.filter((row) => found.has(row.id) && row.id >= oldestId);
        this.matching = mergeById(this.matching, extra);
        if (this.paused && this.frozen !== null) this.frozen = mergeById(this.frozen, extra);
        this.bump();
      })
      .catch(() => {
        // The engine refused the search (an evicted range, a closed connection): the
        // preview-based result stands.
      })
      .finally(() => {
        this.deepSearchRunning = false;
        this.searchDeeper();
      });
  }

  private predicate(): (row: LogRow) => Verdict {
    const session = this.sessionFilter;
    const direction = this.directionFilter;
    const peer = this.peerFilter;
    const query = prepareQuery(this.query, this.queryMode);
    const charset = this.charset;
    const textOf = (row: LogRow): string => this.textOf(row, charset);
    return (row) => {
      if (session !== '' && !sessionOrItsPeer(row.sessionId, session)) return false;
      if (direction !== '' && row.direction !== direction) return false;
      if (
        peer !== null &&
        (row.remote === null ||
          row.remote.port !== peer.port ||
          row.remote.address !== peer.address)
      )
        return false;
      if (query === null) return true;
      const found = recordMatches(row, query, textOf, i18n.event);
      return found || !row.truncated ? found : 'ask-engine';
    };
  }

  private clearLocal(): void {
    this.rows = [];
    this.head = 0;
    this.matching = [];
    if (this.frozen !== null) this.frozen = [];
    this.arrivedWhilePaused = 0;
    this.droppedFromWindow = 0;
    this.skippedRecords = 0;
    this.selectedId = null;
    this.cursorId = null;
    this.bump();
  }

  /** Coalesces re-renders to one per animation frame, however many batches arrive. */
  private bump(): void {
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame(() => {
      this.frameRequested = false;
      this.shown = { rows: this.frozen ?? this.matching };
    });
  }
}

export const packetLog = new PacketLog();
