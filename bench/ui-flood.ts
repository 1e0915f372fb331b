import { join } from 'node:path';
import { chromium } from '@playwright/test';
import type { Page } from '@playwright/test';
import { chromiumArgs, chromiumPath } from '../e2e/chromium';
import { Engine } from '../src/main/engine';
import { dispatch } from '../src/main/router';
import { startWebHost } from '../src/main/web/server';
import { heapMiB, percentile, root, round, sleep, startPeerProcess } from './support';
import type { Metrics } from './support';

interface PageMetrics {
  frames: number[];
  latencies: number[];
  records: number;
}

const floodConnections = 30;

async function pageMetrics(page: Page): Promise<PageMetrics> {
  return page.evaluate(() => {
    const metrics = (window as unknown as { __sockscopeMetrics: PageMetrics }).__sockscopeMetrics;
    return {
      frames: metrics.frames.slice(),
      latencies: metrics.latencies.slice(),
      records: metrics.records,
    };
  });
}

/**
 * Small packets at a steady rate (30 connections × one 30-byte packet per ms) into
 * the browser UI with the log following, for `seconds`. Frame times and latency
 * come from the page; the JS heap from Chromium's DevTools protocol.
 */
export async function benchUiFlood(metrics: Metrics, quick: boolean): Promise<void> {
  const seconds = quick ? 8 : 20;
  const engine = await Engine.start({ transport: 'web', version: 'bench' });
  const host = await startWebHost({ engine, rendererDir: join(root, 'out/renderer') });
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: [...chromiumArgs, '--enable-precise-memory-info'],
  });
  const flood = await startPeerProcess('flood.mjs', [String(seconds * 1000)]);
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.goto(`${host.url}&metrics=1`);
    await page.getByRole('navigation').getByRole('button', { name: 'TCP client' }).click();
    await page.getByRole('region', { name: 'Packet log' }).waitFor();
    await sleep(500);
    const heapStart = await heapMiB(cdp);
    const before = await pageMetrics(page);

    for (let i = 0; i < floodConnections; i++) {
      const envelope = await dispatch(engine, 'tcp.connect', {
        host: '127.0.0.1',
        port: flood.port,
      });
      if (!envelope.ok) throw new Error(envelope.error.message);
    }
    const startedAt = Date.now();
    await sleep((seconds * 1000) / 2);
    const heapMiddle = await heapMiB(cdp);
    await sleep(Math.max(0, startedAt + seconds * 1000 - Date.now()));
    const after = await pageMetrics(page);
    const heapEnd = await heapMiB(cdp);

    const frames = after.frames.slice(before.frames.length);
    const latencies = after.latencies.slice(before.latencies.length);
    const records = after.records - before.records;
    metrics.ui_flood_pps = { value: round(records / seconds, 0), unit: 'records/s' };
    metrics.ui_frame_p95_ms = { value: round(percentile(frames, 0.95), 1), unit: 'ms' };
    metrics.ui_latency_p95_ms = { value: round(percentile(latencies, 0.95), 1), unit: 'ms' };
    metrics.ui_heap_start_MiB = { value: round(heapStart, 1), unit: 'MiB' };
    metrics.ui_heap_middle_MiB = { value: round(heapMiddle, 1), unit: 'MiB' };
    metrics.ui_heap_end_MiB = { value: round(heapEnd, 1), unit: 'MiB' };
    process.stderr.write(
      `  ui: ${records} records in ${seconds} s, ${frames.length} frames, ${latencies.length} latency samples\n`,
    );
  } finally {
    flood.child.kill();
    await browser.close();
    await host.close();
    await engine.close();
  }
}
