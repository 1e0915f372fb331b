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
 * Coalesces engine events and delivers them as one batch per flush, at most
 * every `flushIntervalMs`, so a flood of packets never becomes a flood of messages.
 * Records ride together in one `log.records` event; keyed events (a session's
 * latest state, the log's totals) keep only their newest value per flush.
 */
export class EventBus {
  private readonly flushIntervalMs: number;
  private readonly maxBatchEvents: number;
  private readonly listeners = new Set<BatchListener>();
  private pending: EngineEvent[] = [];
  private records: LogRecordPreview[] = [];
  private keyed = new Map<string, LatestEvent>();
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

  emit(event: EngineEvent): void {
    if (this.closed) return;
    this.pending.push(event);
    this.schedule();
  }

  /**
   * Replaces any pending event with the same key: only the newest state travels.
   * Pass a function to defer building the event to the flush, so a state that
   * changes a thousand times between flushes is built once.
   */
  emitLatest(key: string, event: LatestEvent): void {
    if (this.closed) return;
    this.keyed.delete(key);
    this.keyed.set(key, event);
    this.schedule();
  }

  emitRecord(record: LogRecordPreview): void {
    if (this.closed) return;
    this.records.push(record);
    this.schedule();
  }

  flush(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.pending.length === 0 && this.records.length === 0 && this.keyed.size === 0) return;
    const events = this.pending;
    if (this.records.length > 0) events.push({ type: 'log.records', records: this.records });
    for (const event of this.keyed.values())
      events.push(typeof event === 'function' ? event() : event);
    this.pending = [];
    this.records = [];
    this.keyed = new Map();
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

  private schedule(): void {
    if (this.pending.length + this.records.length + this.keyed.size >= this.maxBatchEvents) {
      this.flush();
    } else if (this.timer === null) {
      this.timer = setTimeout(() => this.flush(), this.flushIntervalMs);
    }
  }
}
