import type { LogRecordMeta, LogStats } from '@shared/contract/log';
import type { StoredRecord } from './stored-record';

/** What a record costs beyond its payload: the object, its addresses, its slot. */
const recordOverheadBytes = 160;
export const defaultLogBudgetBytes = 256 * 1024 * 1024;

export type NewRecord = Omit<LogRecordMeta, 'id'> & { bytes: Uint8Array };

/**
 * Every record's full bytes, in id order, within a byte budget. When the budget
 * is exceeded the oldest records go first, and the store counts what it evicted so
 * the UI can say so plainly.
 */
export class LogStore {
  private records: StoredRecord[] = [];
  /** Index of the oldest live record; the slots before it are evicted. */
  private head = 0;
  private heldBytes = 0;
  private evictedRecords = 0;
  private evictedBytes = 0;
  private nextId = 1;

  constructor(private budgetBytes: number = defaultLogBudgetBytes) {}

  append(record: NewRecord): StoredRecord {
    const stored = record as StoredRecord;
    stored.id = this.nextId++;
    this.records.push(stored);
    this.heldBytes += stored.bytes.byteLength + recordOverheadBytes;
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

  *iterate(sessionId?: string): Generator<StoredRecord> {
    // A snapshot of the bounds: records appended while exporting are not included.
    const end = this.records.length;
    const records = this.records;
    for (let index = this.head; index < end; index++) {
      const record = records[index];
      if (record !== undefined && (sessionId === undefined || record.sessionId === sessionId))
        yield record;
    }
  }

  clear(): void {
    this.records = [];
    this.head = 0;
    this.heldBytes = 0;
  }

  setBudget(budgetBytes: number): void {
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

  /** Drops the oldest records until the store fits; the newest always stays. */
  private evict(): void {
    const records = this.records;
    while (this.heldBytes > this.budgetBytes && records.length - this.head > 1) {
      const oldest = records[this.head]!;
      const cost = oldest.bytes.byteLength + recordOverheadBytes;
      this.heldBytes -= cost;
      this.evictedRecords += 1;
      this.evictedBytes += oldest.bytes.byteLength;
      records[this.head] = undefined as unknown as StoredRecord;
      this.head += 1;
    }
    // Compact now and then, so evicted slots do not pile up at the front.
    if (this.head > 4096 && this.head * 2 > records.length) {
      this.records = records.slice(this.head);
      this.head = 0;
    }
  }
}
