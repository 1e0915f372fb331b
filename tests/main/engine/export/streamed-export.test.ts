import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportFormat } from '@shared/contract';
import { ErrorCode } from '@shared/errors';
import { Engine } from '../../../../src/main/engine';
import { maxChunkBytes } from '../../../../src/main/engine/export/exports';
import { defaultLogBudgetBytes } from '../../../../src/main/engine/log/log-store';
import { call } from '../../../support/engine-calls';

const mebibyte = 1024 * 1024;

/** Fills the log to its budget with 64 KiB packets of printable bytes. */
function fillLog(engine: Engine, budgetBytes: number): void {
  const payload = Buffer.alloc(64 * 1024);
  for (let at = 0; at < payload.length; at++) payload[at] = 0x20 + (at % 90);
  const address = { address: '127.0.0.1', port: 5000, family: 'IPv4' as const };
  for (let filled = 0; filled < budgetBytes; filled += payload.length) {
    engine.log.append({
      atUs: 1_700_000_000_000_000 + filled,
      sessionId: 'tcp-1',
      transport: 'tcp',
      direction: filled % 2 === 0 ? 'in' : 'out',
      local: address,
      remote: { ...address, port: 6000 },
      size: payload.length,
      event: null,
      message: null,
      params: null,
      charset: null,
      bytes: payload,
    });
  }
}

/**
 * Watches the event loop two ways while `work` runs: the longest wall-clock stall
 * (monitorEventLoopDelay), and the most CPU time the main thread spent between two
 * turns of a 5 ms probe, which preemption by other processes does not inflate.
 */
async function watchLoop(work: () => Promise<void>) {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  let last = process.threadCpuUsage();
  let longestTurnUs = 0;
  const probe = setInterval(() => {
    const now = process.threadCpuUsage();
    const turn = now.user - last.user + now.system - last.system;
    longestTurnUs = Math.max(longestTurnUs, turn);
    last = now;
  }, 5);
  const startCpu = process.threadCpuUsage();
  const startMs = performance.now();
  delay.enable();
  try {
    await work();
  } finally {
    delay.disable();
    clearInterval(probe);
  }
  const cpu = process.threadCpuUsage(startCpu);
  return {
    stallMs: delay.max / 1e6,
    longestTurnMs: longestTurnUs / 1000,
    /** How much of a core the engine got: low when the machine runs many other things. */
    cpuShare: (cpu.user + cpu.system) / 1000 / (performance.now() - startMs),
  };
}

/** Reads an export to its end as the page does, keeping only its length. */
async function readToEnd(engine: Engine, exportId: string): Promise<number> {
  let offset = 0;
  for (;;) {
    const chunk = await call(engine, 'log.exportRead', { exportId, offset, length: mebibyte });
    offset += Buffer.byteLength(chunk.data, 'base64');
    if (chunk.done) return offset;
  }
}

describe('streamed exports of a full default log', () => {
  let engine: Engine;

  beforeAll(async () => {
    engine = await Engine.start({ transport: 'web', version: 'test' });
    fillLog(engine, defaultLogBudgetBytes);
  }, 60_000);
  afterAll(() => engine.close());

  it.each<ExportFormat>(['csv', 'pcapng'])(
    '%s: memory stays within 128 MiB of its start and the event loop never stalls 100 ms',
    async (format) => {
      const stats = engine.log.stats();
      expect(stats.bytes).toBeGreaterThan(defaultLogBudgetBytes * 0.95);
      const startRss = process.memoryUsage().rss;
      let peakRss = startRss;
      const sampler = setInterval(() => {
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
      }, 10);
      const loop = await watchLoop(async () => {
        const created = await call(engine, 'log.export', { format });
        expect(created.records).toBe(stats.records);
        const size = await readToEnd(engine, created.exportId);
        // CSV holds every byte as text and hex: about three times the log.
        expect(size).toBeGreaterThan(format === 'csv' ? stats.bytes * 2 : stats.bytes);
      }).finally(() => clearInterval(sampler));
      expect(peakRss - startRss).toBeLessThan(128 * mebibyte);
      // No piece of work holds the loop: measured in CPU time, immune to a busy machine.
      expect(loop.longestTurnMs).toBeLessThan(100);
      // The wall-clock bound holds wherever the engine gets most of a core; on an
      // oversubscribed machine the OS, not the engine, decides how long a turn waits.
      if (loop.cpuShare >= 0.9) expect(loop.stallMs).toBeLessThan(100);
      else
        console.log(
          `${format} export: the engine got ${Math.round(loop.cpuShare * 100)}% of a core ` +
            `(the machine is busy), so the wall-clock stall (${Math.round(loop.stallMs)} ms) is ` +
            `reported, not asserted; the longest turn was ${loop.longestTurnMs.toFixed(1)} ms of CPU`,
        );
    },
    120_000,
  );

  it('is read in order, one chunk at a time, and says so otherwise', async () => {
    const created = await call(engine, 'log.export', { format: 'jsonl' });
    const first = call(engine, 'log.exportRead', {
      exportId: created.exportId,
      offset: 0,
      length: 4 * mebibyte,
    });
    await expect(
      call(engine, 'log.exportRead', { exportId: created.exportId, offset: 0, length: 16 }),
    ).rejects.toMatchObject({ code: ErrorCode.exportBusy, message: /one chunk at a time/ });
    const chunk = await first;
    expect(chunk.done).toBe(false);
    await expect(
      call(engine, 'log.exportRead', { exportId: created.exportId, offset: 7, length: 16 }),
    ).rejects.toMatchObject({
      code: ErrorCode.exportBusy,
      message: `offset: an export is read in order; the next chunk starts at ${maxChunkBytes}, not 7`,
    });
  });

  it('skips records evicted while it pauses, and never hands out reused bytes', async () => {
    const created = await call(engine, 'log.export', { format: 'jsonl' });
    const firstChunk = await call(engine, 'log.exportRead', {
      exportId: created.exportId,
      offset: 0,
      length: mebibyte,
    });
    // The log turns over completely while the export waits between reads.
    fillLog(engine, defaultLogBudgetBytes);
    let offset = Buffer.byteLength(firstChunk.data, 'base64');
    let text = Buffer.from(firstChunk.data, 'base64').toString('utf8');
    for (;;) {
      const chunk = await call(engine, 'log.exportRead', {
        exportId: created.exportId,
        offset,
        length: 4 * mebibyte,
      });
      offset += Buffer.byteLength(chunk.data, 'base64');
      text += Buffer.from(chunk.data, 'base64').toString('utf8');
      if (chunk.done) break;
    }
    const lines = text.trim().split('\n');
    const ids = lines.map((line) => (JSON.parse(line) as { id: number }).id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    // Only the records read before the turnover: all newer ones were appended after it began.
    expect(ids.length).toBeLessThan(created.records);
  }, 60_000);
});
