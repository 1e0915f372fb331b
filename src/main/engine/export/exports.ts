import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { readingCharset } from '@shared/contract/log';
import type { DisplayCharset, ExportFormat, LogExportResult } from '@shared/contract/log';
import { decodeForDisplay } from '@shared/codecs/display';
import { ErrorCode, SockscopeError } from '@shared/errors';
import {
  csvPieces,
  exportFileName,
  exportMimeType,
  jsonLinesPieces,
  pcapngPieces,
} from './capture-export';
import { nowUs } from '../clock';
import type { LogStore } from '../log/log-store';
import type { StoredRecord } from '../log/stored-record';

/** The records `keep` accepts, as they are read. */
function* onlyThose(
  records: Iterable<StoredRecord>,
  keep: (record: StoredRecord) => boolean,
): Generator<StoredRecord> {
  for (const record of records) if (keep(record)) yield record;
}
import { quoteInput, quotedInputChars } from '@shared/quote';

/** An export waits this long between reads before it is dropped. */
const exportIdleLifetimeMs = 10 * 60 * 1000;
/** Open exports at once; each holds only its place in the log and one piece. */
const maxExportsOpen = 4;
/**
 * A chunk holds at most this much whatever is asked (the reader goes on from where
 * it ends). Its base64 text (87,382 characters) stays below V8's large-object size
 * (128 KiB), so each one dies young in the nursery: with 512 KiB chunks every read
 * left a large object behind, and a CSV export of a full log grew RSS by ~95 MiB on
 * a busy machine (188 MiB once under load 9); at 64 KiB ~51 MiB.
 */
export const maxChunkBytes = 64 * 1024;
/** Building a chunk gives the event loop a turn at least this often. */
const workSliceMs = 10;

interface OpenExport {
  /** Each piece is valid only until the next is asked for: the exporters reuse their buffers. */
  pieces: Iterator<Buffer>;
  /** What is left of the last piece built (still valid: no piece was asked for since). */
  leftover: Buffer | null;
  /** Bytes handed out so far: the next read's offset. */
  offset: number;
  /** A read is building a chunk now: a second one waits its turn by being refused. */
  building: boolean;
  /** Where a chunk is assembled, reused from read to read. */
  chunk: Buffer | null;
  timer: NodeJS.Timeout;
}

/**
 * Exports are streamed: built piece by piece as they are read, never whole in
 * memory. Each read builds at most the chunk asked for and yields to the event
 * loop between pieces, so a large export blocks neither sockets nor pages.
 */
export class Exports {
  private readonly open = new Map<string, OpenExport>();
  /**
   * When export work last gave the event loop a turn. Kept across reads: reads that
   * follow each other as promise continuations never reach the loop by themselves.
   */
  private lastTurnAt = performance.now();

  constructor(private readonly store: LogStore) {}

  create(
    format: ExportFormat,
    sessionId: string | undefined,
    charset: DisplayCharset,
    ids?: readonly number[],
  ): LogExportResult {
    const wanted = ids === undefined ? null : new Set(ids);
    const keep = (record: StoredRecord): boolean => wanted === null || wanted.has(record.id);
    let records = 0;
    for (const record of this.store.iterate(sessionId)) if (keep(record)) records += 1;
    const source = onlyThose(this.store.iterateLive(sessionId), keep);
    const pieces =
      format === 'pcapng'
        ? pcapngPieces(source)
        : format === 'csv'
          ? csvPieces(source, (bytes, record) =>
              decodeForDisplay(bytes, readingCharset(record, charset)),
            )
          : jsonLinesPieces(source);
    while (this.open.size >= maxExportsOpen) {
      const oldest = this.open.keys().next().value as string;
      this.drop(oldest);
    }
    const exportId = randomUUID();
    this.open.set(exportId, {
      pieces,
      leftover: null,
      offset: 0,
      building: false,
      chunk: null,
      timer: this.expiry(exportId),
    });
    return {
      exportId,
      fileName: exportFileName(format, nowUs()),
      mimeType: exportMimeType(format),
      size: null,
      records,
    };
  }

  /** The next chunk of up to `length` bytes; `offset` must be where the last one ended. */
  async read(
    exportId: string,
    offset: number,
    length: number,
  ): Promise<{ data: string; done: boolean }> {
    const held = this.open.get(exportId);
    if (held === undefined)
      throw new SockscopeError(
        ErrorCode.exportNotFound,
        `No export with id ${quoteInput(exportId)} (it was read to the end, replaced or expired)`,
        { exportId: exportId.slice(0, quotedInputChars) },
      );
    if (held.building)
      throw new SockscopeError(
        ErrorCode.exportBusy,
        'This export is already building a chunk: read it one chunk at a time',
        { exportId },
      );
    if (offset !== held.offset)
      throw new SockscopeError(
        ErrorCode.exportBusy,
        `offset: an export is read in order; the next chunk starts at ${held.offset}, not ${offset}`,
        { exportId, expected: held.offset, offset },
      );
    const wanted = Math.min(length, maxChunkBytes);
    held.building = true;
    clearTimeout(held.timer);
    try {
      if (held.chunk === null || held.chunk.length < wanted)
        held.chunk = Buffer.allocUnsafe(wanted);
      const out = held.chunk;
      let gathered = 0;
      let done = false;
      while (gathered < wanted) {
        if (performance.now() - this.lastTurnAt > workSliceMs) {
          await nextTurn();
          this.lastTurnAt = performance.now();
          if (this.open.get(exportId) !== held) break;
        }
        let piece = held.leftover;
        held.leftover = null;
        if (piece === null) {
          const next = held.pieces.next();
          if (next.done === true) {
            done = true;
            break;
          }
          piece = next.value;
        }
        const room = wanted - gathered;
        if (piece.length > room) {
          held.leftover = piece.subarray(room);
          piece = piece.subarray(0, room);
        }
        piece.copy(out, gathered);
        gathered += piece.length;
      }
      // The end is known once the pieces run out; look ahead so the last chunk says so.
      if (!done && held.leftover === null && this.open.get(exportId) === held) {
        const next = held.pieces.next();
        if (next.done === true) done = true;
        else held.leftover = next.value;
      }
      held.offset += gathered;
      if (done) this.drop(exportId);
      return { data: out.toString('base64', 0, gathered), done };
    } finally {
      held.building = false;
      if (this.open.get(exportId) === held) held.timer = this.expiry(exportId);
    }
  }

  closeAll(): void {
    for (const exportId of [...this.open.keys()]) this.drop(exportId);
  }

  private expiry(exportId: string): NodeJS.Timeout {
    const timer = setTimeout(() => this.drop(exportId), exportIdleLifetimeMs);
    timer.unref();
    return timer;
  }

  private drop(exportId: string): void {
    const held = this.open.get(exportId);
    if (held === undefined) return;
    clearTimeout(held.timer);
    held.pieces.return?.(undefined);
    this.open.delete(exportId);
  }
}
