import type { EngineEvent, EventBatch, LogRecordPreview } from '@shared/contract';

export interface EventBusOptions {
  /** Longest wait between an event and its flush. */
  flushIntervalMs?: number;
  /** A batch this large (events plus records) is flushed at once instead of waiting. */
  maxBatchEvents?: number;
}

type BatchListener = (batch: EventBatch) => void;
/** A keyed event, or how to build it: built once, at flush, with the freshest state. */
type LatestEvent = EngineEvent | (() => EngineEvent);

/**
 * One place in the next batch: an ordered event, the newest value of a key, or
 * the records logged since the previous ordered event.
 */
type Slot =
  | { kind: 'event'; event: EngineEvent }
  | { kind: 'latest'; event: LatestEvent }
  | { kind: 'records'; records: LogRecordPreview[] };

/**
 * Coalesces engine events and delivers them as one batch per flush, at most
 * every `flushIntervalMs`, so a flood of packets never becomes a flood of messages.
 *
 * A batch keeps the order in which things happened: an ordered event stays where
 * it was emitted; a keyed event (a session's latest state, the log's totals)
 * keeps only its newest value, placed where that value was emitted; records ride
 * together in one `log.records` event per stretch between ordered events. An
 * event emitted with `ends: key` is that key's last word: its pending value is
 * dropped and later values are refused, so a removed session cannot come back.
 */
export class EventBus {
  private readonly flushIntervalMs: number;
  private readonly maxBatchEvents: number;
  private readonly listeners = new Set<BatchListener>();
  private slots: (Slot | null)[] = [];
  /** Where each key's pending value sits in `slots`. */
  private keyed = new Map<string, number>();
  /** The records slot new records join, or null once an ordered event closed it. */
  private openRecords: LogRecordPreview[] | null = null;
  private size = 0;
  private readonly ended = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private seq = 0;
  private closed = false;

  constructor(options: EventBusOptions = {}) {
    this.flushIntervalMs = options.flushIntervalMs ?? 50;
    this.maxBatchEvents = options.maxBatchEvents ?? 2000;
  }

  subscribe(listener: BatchListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** The number of the batch flushed last (0 before the first). */
  get lastSeq(): number {
    return this.seq;
  }

  /**
   * An event that keeps its place in the order. With `ends`, it is the last word
   * of that key: a pending value of the key is dropped and later ones are ignored.
   */
  emit(event: EngineEvent, options: { ends?: string } = {}): void {
    if (this.closed) return;
    if (options.ends !== undefined) {
      this.dropKey(options.ends);
      this.ended.add(options.ends);
    }
    this.slots.push({ kind: 'event', event });
    this.openRecords = null;
    this.size += 1;
    this.schedule();
  }

  /**
   * Replaces any pending event with the same key: only the newest state travels,
   * at the place it was emitted. Pass a function to defer building the event to
   * the flush, so a state that changes a thousand times between flushes is built once.
   */
  emitLatest(key: string, event: LatestEvent): void {
    if (this.closed || this.ended.has(key)) return;
    const at = this.keyed.get(key);
    if (at === this.slots.length - 1) {
      // Already the newest slot: replace in place, nothing to reorder.
      this.slots[at] = { kind: 'latest', event };
      return;
    }
    this.dropKey(key);
    this.keyed.set(key, this.slots.length);
    this.slots.push({ kind: 'latest', event });
    this.size += 1;
    this.schedule();
  }

  emitRecord(record: LogRecordPreview): void {
    if (this.closed) return;
    if (this.openRecords === null) {
      this.openRecords = [];
      this.slots.push({ kind: 'records', records: this.openRecords });
    }
    this.openRecords.push(record);
    this.size += 1;
    this.schedule();
  }

  flush(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.size === 0) return;
    const events: EngineEvent[] = [];
    for (const slot of this.slots) {
      if (slot === null) continue;
      if (slot.kind === 'records') events.push({ type: 'log.records', records: slot.records });
      else if (slot.kind === 'event') events.push(slot.event);
      else events.push(typeof slot.event === 'function' ? slot.event() : slot.event);
    }
    this.slots = [];
    this.keyed = new Map();
    this.openRecords = null;
    this.size = 0;
    const batch: EventBatch = { seq: ++this.seq, events };
    for (const listener of this.listeners) {
      try {
        listener(batch);
      } catch {
        // A broken listener (a closed window, a dropped socket) must not stop the others.
      }
    }
  }

  close(): void {
    this.flush();
    this.closed = true;
    this.listeners.clear();
  }

  private dropKey(key: string): void {
    const at = this.keyed.get(key);
    if (at === undefined) return;
    this.slots[at] = null;
    this.keyed.delete(key);
    this.size -= 1;
  }

  private schedule(): void {
    if (this.size >= this.maxBatchEvents) {
      this.flush();
    } else if (this.timer === null) {
      this.timer = setTimeout(() => this.flush(), this.flushIntervalMs);
    }
  }
}
