import type { SockscopeApi } from '@shared/api';
import type { EngineEvent } from '@shared/contract';
import { BatchSequence } from '@shared/batch-sequence';
import { api } from '../api';

type Handler = (event: EngineEvent) => void;

/** The engine's event batches, fanned out to the state modules one event at a time. */
export interface EngineEvents {
  /** Adds a handler; returns the function that removes it. */
  on(handler: Handler): () => void;
  /** Called when batches were lost on the way: the module fetches its state afresh. */
  onResync(resync: () => void): () => void;
  /** Subscribes to the api (once); handlers added before or after all hear every event. */
  start(): void;
}

export function createEngineEvents(source: SockscopeApi): EngineEvents {
  const handlers = new Set<Handler>();
  const resyncs = new Set<() => void>();
  let started = false;
  return {
    on(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    onResync(resync) {
      resyncs.add(resync);
      return () => resyncs.delete(resync);
    },
    start() {
      if (started) return;
      started = true;
      const sequence = new BatchSequence();
      source.onEvents((batch) => {
        // Missed batches: what each state module holds may be stale, so each asks again.
        if (sequence.gapBefore(batch.seq)) for (const resync of resyncs) resync();
        for (const event of batch.events) for (const each of handlers) each(event);
      });
    },
  };
}

/** The app's one subscription; main.ts starts it. */
export const engineEvents = createEngineEvents(api);

export function onEngineEvent(handler: Handler): () => void {
  return engineEvents.on(handler);
}

export function onResync(resync: () => void): () => void {
  return engineEvents.onResync(resync);
}
