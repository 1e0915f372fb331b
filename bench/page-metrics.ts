import type { Page } from '@playwright/test';
import type { Engine } from '../src/main/engine';
import { dispatch } from '../src/main/router';

/** What the page's own probe (`?metrics=1`) has counted since it loaded. */
export interface PageMetrics {
  /** Milliseconds between painted frames. */
  frames: number[];
  /** Milliseconds from a record's capture to its frame on screen. */
  latencies: number[];
  records: number;
  /** Records the host held back from a lagging page. */
  skipped: number;
}

export async function pageMetrics(page: Page): Promise<PageMetrics> {
  // A string, so the bundler's helpers never reach the page.
  return page.evaluate(`(() => {
    const metrics = window.__sockscopeMetrics;
    return {
      frames: metrics.frames.slice(),
      latencies: metrics.latencies.slice(),
      records: metrics.records,
      skipped: metrics.skipped ?? 0,
    };
  })()`);
}

/** Calls the engine through the router, as a transport would; throws its error's words. */
export async function call(engine: Engine, command: string, args: object): Promise<unknown> {
  const envelope = await dispatch(engine, command, args);
  if (!envelope.ok) throw new Error(envelope.error.message);
  return envelope.result;
}

/** Every record the engine has logged so far, held or evicted. */
export async function engineRecordCount(engine: Engine): Promise<number> {
  const stats = (await call(engine, 'log.stats', {})) as {
    records: number;
    evictedRecords: number;
  };
  return stats.records + stats.evictedRecords;
}
