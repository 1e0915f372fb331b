import type { SockscopeApi } from '@shared/api';
import type { EngineEvent } from '@shared/contract';
import { api } from '../api';

type Handler = (event: EngineEvent) => void;

/** The engine's event batches, fanned out to the state modules one event at a time. */
export interface EngineEvents {
  /** Adds a handler; returns the function that removes it. */
  on(handler: Handler): () => void;
  /** Subscribes to the api (once); handlers added before or after all hear every event. */
  start(): void;
}

export function createEngineEvents(source: SockscopeApi): EngineEvents {
  const handlers = new Set<Handler>();
  let started = false;
  return {
    on(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    start() {
      if (started) return;
      started = true;
      source.onEvents((batch) => {
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
