import { totalmem } from 'node:os';
import { sessionOrItsPeer } from '@shared/contract/tcp-server';
import type { LogRecordMeta, LogStats } from '@shared/contract/log';
import { ErrorCode, SockscopeError } from '@shared/errors';
import type { StoredRecord } from './stored-record';

/** What a record costs beyond its payload: the object, its addresses, its slot. */
const recordOverheadBytes = 160;
export const defaultLogBudgetBytes = 256 * 1024 * 1024;

const mebibyte = 1024 * 1024;

/**
 * The largest budget this machine allows: a quarter of its memory (in whole MiB),
 * so a log cannot take the engine, and the machine, out of memory.
 */
export function maxLogBudgetBytes(machineBytes: number = totalmem()): number {
  return Math.max(defaultLogBudgetBytes, Math.floor(machineBytes / 4 / mebibyte) * mebibyte);
}

/** Refuses a budget above this machine's cap, naming the field and the cap. */
export function checkLogBudget(budgetBytes: number): void {
  const cap = maxLogBudgetBytes();
  if (budgetBytes <= cap) return;
  throw new SockscopeError(
    ErrorCode.invalidArgs,
    `budgetBytes: must be at most ${cap / mebibyte} MiB on this machine (a quarter of its memory)`,
    { field: 'budgetBytes', limit: cap },
  );
}

/**
 * Payloads are copied into large slabs that are reused once every record in them
 * has been evicted. A log that keeps hundreds of MiB as thousands of separate
 * socket buffers makes the garbage collector run constantly; recycled slabs keep
 * the engine's memory flat and its receive path close to raw Node speed
 * (`npm run bench`: tcp_client_ratio).
 */
export const slabBytes = 4 * 1024 * 1024;
/** Spare slabs kept for reuse beyond those holding records (the rest are released). */
const spareSlabs = 4;

interface Slab {
  buffer: Buffer;
  used: number;
  /** Id of the newest record whose bytes live here. */
  lastId: number;
}

// `id` is optional so the recorder can make each record with its final shape (id
// included) in one object literal: adding a property later costs every record a copy.
export type NewRecord = Omit<LogRecordMeta, 'id'> & { id?: number; bytes: Uint8Array };

/**
 * Every record's full bytes, in id order, within a byte budget. When the budget
 * is exceeded the oldest records go first, and the store counts what it evicted so
 * the UI can say so plainly. A record's bytes are valid until it is evicted:
 * readers use them synchronously (exports, reads, previews) and keep no views.
 */
export class LogStore {
  private records: StoredRecord[] = [];
  /** Index of the oldest live record; the slots before it are evicted. */
  private head = 0;
  private heldBytes = 0;
  private evictedRecords = 0;
  private evictedBytes = 0;
  private nextId = 1;
  /** Slabs holding live records, oldest first; the last one is being filled. */
  private slabs: Slab[] = [];
  private spare: Buffer[] = [];

  constructor(private budgetBytes: number = defaultLogBudgetBytes) {
    // A budget saved on a larger machine is cut to this one's cap.
    this.budgetBytes = Math.min(budgetBytes, maxLogBudgetBytes());
  }

  /**
   * Files a record, copying its bytes (unless they are the log's own); the caller's
   * buffer may be reused at once.
   */
  append(record: NewRecord): StoredRecord {
    const stored = record as StoredRecord;
    stored.id = this.nextId++;
    const size = record.bytes.byteLength;
    if (size > 0)
      stored.bytes =
        size <= slabBytes ? this.copyIntoSlab(record.bytes, stored.id) : Buffer.from(record.bytes);
    this.records.push(stored);
    this.heldBytes += size + recordOverheadBytes;
    if (this.heldBytes > this.budgetBytes) this.evict();
    return stored;
  }

  get evictedCount(): number {
    return this.evictedRecords;
  }

  get size(): number {
    return this.records.length - this.head;
  }

  /** The record with this id, or undefined when it was evicted or never existed. */
  get(id: number): StoredRecord | undefined {
    const oldest = this.records[this.head];
    if (oldest === undefined) return undefined;
    return this.records[this.head + (id - oldest.id)];
  }

  /**
   * Up to `limit` of the newest records older than `beforeId` (of all, when absent),
   * oldest first: how a page that (re)connects fills its window, page by page.
   */
  latest(limit: number, beforeId?: number): StoredRecord[] {
    const oldest = this.records[this.head];
    if (oldest === undefined) return [];
    let end = this.records.length;
    if (beforeId !== undefined)
      end = Math.min(end, Math.max(this.head, this.head + (beforeId - oldest.id)));
    return this.records.slice(Math.max(this.head, end - limit), end);
  }

  /** Every record held, oldest first; with `sessionId`, that session's (a server's include its connections'). */
  *iterate(sessionId?: string): Generator<StoredRecord> {
    // A snapshot of the bounds: records appended while iterating are not included.
    const end = this.records.length;
    const records = this.records;
    for (let index = this.head; index < end; index++) {
      const record = records[index];
      if (
        record !== undefined &&
        (sessionId === undefined || sessionOrItsPeer(record.sessionId, sessionId))
      )
        yield record;
    }
  }

  /** Id of the newest record, or 0 before any. */
  get newestId(): number {
    return this.nextId - 1;
  }

  /**
   * The records held now, then looked up again by id at each step: a reader that
   * pauses between records (a streamed export) skips those evicted meanwhile and
   * never reads bytes the log has reused. Records appended later are not included.
   */
  *iterateLive(sessionId?: string): Generator<StoredRecord> {
    const end = this.newestId;
    for (let id = this.records[this.head]?.id ?? end + 1; id <= end; id++) {
      const record = this.get(id);
      if (record === undefined) {
        // Evicted while paused (or the log was cleared): go on from the oldest held.
        const oldest = this.records[this.head]?.id;
        if (oldest === undefined) return;
        if (oldest > id) id = oldest - 1;
        continue;
      }
      if (sessionId === undefined || record.sessionId === sessionId) yield record;
    }
  }

  clear(): void {
    this.records = [];
    this.head = 0;
    this.heldBytes = 0;
    for (const slab of this.slabs) this.recycle(slab.buffer);
    this.slabs = [];
  }

  setBudget(budgetBytes: number): void {
    checkLogBudget(budgetBytes);
    this.budgetBytes = budgetBytes;
    if (this.heldBytes > this.budgetBytes) this.evict();
  }

  stats(): LogStats {
    return {
      records: this.size,
      bytes: this.heldBytes,
      budgetBytes: this.budgetBytes,
      evictedRecords: this.evictedRecords,
      evictedBytes: this.evictedBytes,
      oldestId: this.records[this.head]?.id ?? null,
    };
  }

  private copyIntoSlab(bytes: Uint8Array, id: number): Uint8Array {
    // Bytes the log already holds (an echo sending back what was just logged) are
    // shared, not copied; the slab then lives as long as the newer record.
    const held = this.slabHolding(bytes);
    if (held !== undefined) {
      held.lastId = id;
      return bytes;
    }
    let slab = this.slabs.at(-1);
    if (slab === undefined || slab.used + bytes.byteLength > slab.buffer.byteLength) {
      slab = { buffer: this.spare.pop() ?? Buffer.allocUnsafeSlow(slabBytes), used: 0, lastId: id };
      this.slabs.push(slab);
    }
    const start = slab.used;
    slab.buffer.set(bytes, start);
    slab.used += bytes.byteLength;
    slab.lastId = id;
    return slab.buffer.subarray(start, slab.used);
  }

  /** The slab `bytes` is a view into (the newest two are checked), if any. */
  private slabHolding(bytes: Uint8Array): Slab | undefined {
    for (let index = this.slabs.length - 1; index >= 0 && index >= this.slabs.length - 2; index--) {
      const slab = this.slabs[index]!;
      if (slab.buffer.buffer === bytes.buffer) return slab;
    }
    return undefined;
  }

  private recycle(buffer: Buffer): void {
    if (this.spare.length < spareSlabs) this.spare.push(buffer);
  }

  /** Drops the oldest records until the store fits; the newest always stays. */
  private evict(): void {
    const records = this.records;
    while (this.heldBytes > this.budgetBytes && records.length - this.head > 1) {
      const oldest = records[this.head]!;
      this.heldBytes -= oldest.bytes.byteLength + recordOverheadBytes;
      this.evictedRecords += 1;
      this.evictedBytes += oldest.bytes.byteLength;
      records[this.head] = undefined as unknown as StoredRecord;
      this.head += 1;
    }
    // A slab whose newest record is gone holds nothing live: reuse it.
    const oldestLiveId = records[this.head]?.id ?? Infinity;
    while (this.slabs.length > 1 && this.slabs[0]!.lastId < oldestLiveId) {
      this.recycle(this.slabs.shift()!.buffer);
    }
    // Compact now and then, so evicted slots do not pile up at the front.
    if (this.head > 4096 && this.head * 2 > records.length) {
      this.records = records.slice(this.head);
      this.head = 0;
    }
  }
}
