// Measurements for `npm run bench`, switched on only by `metrics=1` in the page URL.
// Frame times come from requestAnimationFrame; latency is from the engine's record
// timestamp to the frame that shows it.

export interface BenchMetrics {
  frames: number[];
  latencies: number[];
  records: number;
  /** Records the host held back because the page fell behind (counted, not shown). */
  skipped: number;
}

const sampleLimit = 200_000;

function start(): BenchMetrics | null {
  if (!new URLSearchParams(globalThis.location?.search ?? '').has('metrics')) return null;
  const metrics: BenchMetrics = { frames: [], latencies: [], records: 0, skipped: 0 };
  let last = performance.now();
  const onFrame = (now: number): void => {
    if (metrics.frames.length < sampleLimit) metrics.frames.push(now - last);
    last = now;
    requestAnimationFrame(onFrame);
  };
  requestAnimationFrame(onFrame);
  (globalThis as unknown as { __sockscopeMetrics: BenchMetrics }).__sockscopeMetrics = metrics;
  return metrics;
}

export const benchMetrics = start();

/** Records how old the newest shown record is, once the frame showing it is painted. */
export function noteShown(newestAtUs: number): void {
  if (benchMetrics === null || newestAtUs === 0) return;
  requestAnimationFrame(() => {
    const nowMs = performance.timeOrigin + performance.now();
    if (benchMetrics.latencies.length < sampleLimit)
      benchMetrics.latencies.push(nowMs - newestAtUs / 1000);
  });
}
