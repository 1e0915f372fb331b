import type { EngineEvent, EventBatch } from '@shared/contract';

export interface EventBusOptions {
  /** Longest wait between an event and its flush. */
  flushIntervalMs?: number;
  /** A batch this large is flushed at once instead of waiting for the timer. */
  maxBatchEvents?: number;
}

type BatchListener = (batch: EventBatch) => void;

/**
 * Coalesces engine events and delivers them as one batch per flush, at most
 * every `flushIntervalMs`, so a flood of packets never becomes a flood of messages.
 */
export class EventBus {
  private readonly flushIntervalMs: number;
  private readonly maxBatchEvents: number;
  private readonly listeners = new Set<BatchListener>();
  private pending: EngineEvent[] = [];
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
    if (this.pending.length >= this.maxBatchEvents) {
      this.flush();
    } else if (this.timer === null) {
      this.timer = setTimeout(() => this.flush(), this.flushIntervalMs);
    }
  }

  flush(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.pending.length === 0) return;
    const batch: EventBatch = { seq: ++this.seq, events: this.pending };
    this.pending = [];
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
}
