import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { CDPSession } from '@playwright/test';

export const benchDir = import.meta.dirname;
export const root = join(benchDir, '..');

export interface Metric {
  value: number;
  unit: string;
}
export type Metrics = Record<string, Metric>;

/** Starts a peer script in its own process and reads the port it prints. */
export async function startPeerProcess(
  script: string,
  args: string[],
): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [join(benchDir, 'peers', script), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.once('data', (data: Buffer) => resolve(Number(data.toString().trim())));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return { child, port };
}

export function runPeerProcess(script: string, args: string[]): ChildProcess {
  return spawn(process.execPath, [join(benchDir, 'peers', script), ...args], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function percentile(values: number[], fraction: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]!;
}

export function round(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The page's JS heap in MiB after a garbage collection, from Chromium's DevTools protocol. */
export async function heapMiB(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const used = metrics.find((metric) => metric.name === 'JSHeapUsedSize')?.value ?? Number.NaN;
  return used / (1024 * 1024);
}
