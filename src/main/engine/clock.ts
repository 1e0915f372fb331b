import { performance } from 'node:perf_hooks';

// Read once: a getter, and nowUs runs for every record.
const timeOriginMs = performance.timeOrigin;

/** Unix time in microseconds, monotonic within a run. */
export function nowUs(): number {
  return Math.round((timeOriginMs + performance.now()) * 1000);
}

/** Milliseconds since `startMs` (a performance.now() reading), to 0.01 ms. */
export function elapsedSince(startMs: number): number {
  return Math.round((performance.now() - startMs) * 100) / 100;
}
