import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { chromiumArgs, chromiumPath } from '../e2e/chromium';
import { Engine } from '../src/main/engine';
import { startWebHost } from '../src/main/web/server';
import { benchDir, heapMiB, percentile, root, round, sleep } from './support';
import { call, engineRecordCount, pageMetrics } from './page-metrics';
import type { Metrics } from './support';

/** Datagrams offered per second, as the issue sets it. */
const offeredRate = 50_000;

/**
 * 64-byte datagrams at 50,000 per second for `seconds` into one sockscope UDP
 * socket, shown on the UDP screen of the browser UI with the log following. Frame
 * times and latency come from the page, the heap from Chromium's DevTools protocol;
 * every record the engine logged must reach the page or be counted as skipped.
 */
export async function benchUiUdp(metrics: Metrics, quick: boolean): Promise<void> {
  const seconds = quick ? 6 : 20;
  const engine = await Engine.start({ transport: 'web', version: 'bench' });
  const host = await startWebHost({ engine, rendererDir: join(root, 'out/renderer') });
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: [...chromiumArgs, '--enable-precise-memory-info'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.goto(`${host.url}&metrics=1`);
    await page.getByRole('navigation').getByRole('button', { name: 'UDP', exact: true }).click();
    const session = (await call(engine, 'udp.bind', { localAddress: '127.0.0.1' })) as {
      id: string;
      local: { port: number };
    };
    await page.getByRole('tab', { name: new RegExp(session.id) }).click();
    await page.getByRole('region', { name: 'Packet log' }).waitFor();
    await sleep(500);
    const heapStart = await heapMiB(cdp);
    const engineBefore = await engineRecordCount(engine);
    const before = await pageMetrics(page);

    const sender = spawn(
      process.execPath,
      [
        join(benchDir, 'peers', 'udp-sender.mjs'),
        String(seconds * 1000),
        String(offeredRate),
        String(session.local.port),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let report = '';
    sender.stdout?.on('data', (chunk: Buffer) => (report += chunk.toString()));
    const finished = new Promise<void>((resolve) => sender.once('exit', () => resolve()));
    const startedAt = Date.now();
    await sleep((seconds * 1000) / 2);
    const heapMiddle = await heapMiB(cdp);
    await sleep(Math.max(0, startedAt + seconds * 1000 - Date.now()));
    const during = await pageMetrics(page);
    await finished;
    // The last flushes and frames land (a lagging page first drains what it was
    // sent, then hears how many it missed); then the books must balance.
    let after = await pageMetrics(page);
    for (let waited = 0; waited < 20_000; waited += 1000) {
      await sleep(1000);
      const now = await pageMetrics(page);
      const settled = now.records === after.records && now.skipped === after.skipped;
      after = now;
      if (settled) break;
    }
    const heapEnd = await heapMiB(cdp);
    const engineRecords = (await engineRecordCount(engine)) - engineBefore;
    const sent = (JSON.parse(report.trim() || '{"sent":0}') as { sent: number }).sent;

    const frames = during.frames.slice(before.frames.length);
    const latencies = during.latencies.slice(before.latencies.length);
    const shown = during.records - before.records;
    const reached = after.records - before.records;
    const skipped = after.skipped - before.skipped;
    metrics.ui_udp_pps = { value: round(shown / seconds, 0), unit: 'datagrams/s' };
    metrics.ui_udp_frame_p95_ms = { value: round(percentile(frames, 0.95), 1), unit: 'ms' };
    metrics.ui_udp_latency_p95_ms = { value: round(percentile(latencies, 0.95), 1), unit: 'ms' };
    metrics.ui_udp_heap_start_MiB = { value: round(heapStart, 1), unit: 'MiB' };
    metrics.ui_udp_heap_middle_MiB = { value: round(heapMiddle, 1), unit: 'MiB' };
    metrics.ui_udp_heap_end_MiB = { value: round(heapEnd, 1), unit: 'MiB' };
    metrics.ui_udp_skipped = { value: skipped, unit: 'records' };
    const unaccounted = engineRecords - reached - skipped;
    process.stderr.write(
      `  ui udp: ${sent} offered, ${engineRecords} logged, ${shown} shown in ${seconds} s, ` +
        `${frames.length} frames, ${skipped} skipped, ${unaccounted} unaccounted\n`,
    );
    if (unaccounted !== 0)
      throw new Error(
        `${unaccounted} of ${engineRecords} records neither reached the page nor were counted as skipped`,
      );
  } finally {
    await browser.close();
    await host.close();
    await engine.close();
  }
}
