import { join } from 'node:path';
import { chromium } from '@playwright/test';
import type { CDPSession, Page } from '@playwright/test';
import { chromiumArgs, chromiumPath } from '../e2e/chromium';
import { Engine } from '../src/main/engine';
import { startWebHost } from '../src/main/web/server';
import { heapMiB, percentile, root, round, sleep, startPeerProcess } from './support';
import type { Metrics } from './support';
import { call, engineRecordCount, pageMetrics } from './page-metrics';

/** Offered rates, records per second; each runs for the step's length. */
export const floodRates = [5_000, 10_000, 20_000, 40_000] as const;
/** The step the headline figures (`ui_flood_pps`, ...) come from. */
const headlineRate = 20_000;

/**
 * One step: `rate` small packets per second (24 bytes each, over one connection per
 * 500 records/s) into the browser UI with the log following, for `seconds`. Frame
 * times and latency come from the page, the JS heap from Chromium's DevTools protocol,
 * and every record the engine logged must reach the page or be counted as skipped.
 */
async function floodStep(
  engine: Engine,
  page: Page,
  cdp: CDPSession,
  rate: number,
  seconds: number,
  metrics: Metrics,
): Promise<void> {
  const connections = Math.max(10, Math.round(rate / 500));
  const flood = await startPeerProcess('flood.mjs', [
    String(seconds * 1000),
    String(rate),
    String(connections),
  ]);
  try {
    const engineBefore = await engineRecordCount(engine);
    const before = await pageMetrics(page);
    const sessionIds: string[] = [];
    for (let i = 0; i < connections; i++) {
      const session = (await call(engine, 'tcp.connect', {
        host: '127.0.0.1',
        port: flood.port,
      })) as { id: string };
      sessionIds.push(session.id);
    }
    const startedAt = Date.now();
    await sleep(seconds * 1000);
    const during = await pageMetrics(page);
    // The last flushes land (a page under load takes a while); then the books must balance.
    await sleep(1000);
    let engineRecords = (await engineRecordCount(engine)) - engineBefore;
    let after = await pageMetrics(page);
    for (let waited = 0; waited < 15_000; waited += 250) {
      if (after.records - before.records + after.skipped - before.skipped >= engineRecords) break;
      await sleep(250);
      engineRecords = (await engineRecordCount(engine)) - engineBefore;
      after = await pageMetrics(page);
    }
    const heapEnd = await heapMiB(cdp);
    const elapsed = (Date.now() - startedAt) / 1000;

    const frames = during.frames.slice(before.frames.length);
    const latencies = during.latencies.slice(before.latencies.length);
    const shown = during.records - before.records;
    const reached = after.records - before.records;
    const skipped = after.skipped - before.skipped;
    const name = `ui_flood_${rate}`;
    metrics[`${name}_pps`] = { value: round(shown / seconds, 0), unit: 'records/s' };
    metrics[`${name}_frame_p95_ms`] = { value: round(percentile(frames, 0.95), 1), unit: 'ms' };
    metrics[`${name}_latency_p95_ms`] = {
      value: round(percentile(latencies, 0.95), 1),
      unit: 'ms',
    };
    metrics[`${name}_heap_end_MiB`] = { value: round(heapEnd, 1), unit: 'MiB' };
    metrics[`${name}_skipped`] = { value: skipped, unit: 'records' };
    const unaccounted = engineRecords - reached - skipped;
    process.stderr.write(
      `  ${rate}/s: ${shown} records in ${seconds} s (${round(elapsed, 1)} s wall), ` +
        `${frames.length} frames, ${skipped} skipped, ${unaccounted} unaccounted of ${engineRecords}\n`,
    );
    if (unaccounted !== 0)
      throw new Error(
        `${unaccounted} of ${engineRecords} records neither reached the page nor were counted as skipped`,
      );
    for (const sessionId of sessionIds) await call(engine, 'session.remove', { sessionId });
  } finally {
    flood.child.kill();
  }
}

/** Steps the offered rate and reports each step; the headline figures are the 20,000 step. */
export async function benchUiFlood(
  metrics: Metrics,
  quick: boolean,
  rates: readonly number[] = floodRates,
): Promise<void> {
  const seconds = quick ? 6 : 20;
  const engine = await Engine.start({ transport: 'web', version: 'bench' });
  const host = await startWebHost({ engine, rendererDir: join(root, 'out/renderer') });
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: [...chromiumArgs, '--enable-precise-memory-info'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.goto(`${host.url}&metrics=1`);
    await page.getByRole('navigation').getByRole('button', { name: 'TCP client' }).click();
    await page.getByRole('region', { name: 'Packet log' }).waitFor();
    await sleep(500);
    metrics.ui_heap_start_MiB = { value: round(await heapMiB(cdp), 1), unit: 'MiB' };
    for (const rate of rates) await floodStep(engine, page, cdp, rate, seconds, metrics);
    const headline = `ui_flood_${headlineRate}`;
    if (metrics[`${headline}_pps`] !== undefined) {
      metrics.ui_flood_pps = metrics[`${headline}_pps`]!;
      metrics.ui_frame_p95_ms = metrics[`${headline}_frame_p95_ms`]!;
      metrics.ui_latency_p95_ms = metrics[`${headline}_latency_p95_ms`]!;
      metrics.ui_heap_end_MiB = metrics[`${headline}_heap_end_MiB`]!;
    }
  } finally {
    await browser.close();
    await host.close();
    await engine.close();
  }
}
