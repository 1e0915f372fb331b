import type { EngineEvent } from '@shared/contract';
import { api } from '../api';

type Handler = (event: EngineEvent) => void;
const handlers = new Set<Handler>();
let subscribed = false;

/** One subscription to the engine's batches, fanned out to the state modules. */
export function onEngineEvent(handler: Handler): () => void {
  handlers.add(handler);
  if (!subscribed) {
    subscribed = true;
    api.onEvents((batch) => {
      for (const event of batch.events) for (const each of handlers) each(event);
    });
  }
  return () => handlers.delete(handler);
}
