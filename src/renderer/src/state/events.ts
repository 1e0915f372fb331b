import type { EngineEvent } from '@shared/contract';
import { api } from '../api';
import { BatchSequence } from '@shared/batch-sequence';

type Handler = (event: EngineEvent) => void;
const handlers = new Set<Handler>();
const resyncs = new Set<() => void>();
let subscribed = false;

function subscribe(): void {
  if (subscribed) return;
  subscribed = true;
  const sequence = new BatchSequence();
  api.onEvents((batch) => {
    // Missed batches: what each state module holds may be stale, so each asks again.
    if (sequence.gapBefore(batch.seq)) for (const resync of resyncs) resync();
    for (const event of batch.events) for (const each of handlers) each(event);
  });
}

/** One subscription to the engine's batches, fanned out to the state modules. */
export function onEngineEvent(handler: Handler): () => void {
  handlers.add(handler);
  subscribe();
  return () => handlers.delete(handler);
}

/** Called when batches were lost on the way: the module fetches its state afresh. */
export function onResync(resync: () => void): () => void {
  resyncs.add(resync);
  subscribe();
  return () => resyncs.delete(resync);
}
