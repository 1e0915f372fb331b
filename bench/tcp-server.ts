import { encodeEventsFrame } from '../src/shared/events-frame';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import type { Page } from '@playwright/test';
import { chromiumArgs, chromiumPath } from '../e2e/chromium';
import { Engine } from '../src/main/engine';
import { dispatch } from '../src/main/router';
import { startWebHost } from '../src/main/web/server';
import { benchDir, heapMiB, median, percentile, root, round, sleep } from './support';
import type { Metrics } from './support';

const mebibyte = 1024 * 1024;

/** Runs a peer script to its end and returns the first line it printed. */
function runPeer(script: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(benchDir, 'peers', script), ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (data: Buffer) => (out += data.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve(out.split('\n')[0] ?? '')
        : reject(new Error(`${script} exited ${code}`)),
    );
  });
}

async function frameTimes(page: Page): Promise<number[]> {
  return page.evaluate(() =>
    (
      window as unknown as { __sockscopeMetrics: { frames: number[] } }
    ).__sockscopeMetrics.frames.slice(),
  );
}

/**
 * 1,000 clients from a peer process connect to one server and each sends a line a
 * second for `seconds`, while the browser UI shows the server, its clients list
 * and the log following. The accept rate comes from the engine's own records.
 */
export async function benchTcpServerClients(metrics: Metrics, quick: boolean): Promise<void> {
  const clients = 1000;
  const seconds = quick ? 8 : 20;
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
    await page.getByRole('navigation').getByRole('button', { name: 'TCP server' }).click();
    const listened = await dispatch(engine, 'tcp.listen', {
      host: '127.0.0.1',
      port: 0,
      backlog: 1024,
    });
    if (!listened.ok) throw new Error(listened.error.message);
    const server = listened.result as { id: string; local: { port: number } };
    await page.getByRole('tab', { name: new RegExp(`^${server.id} `) }).click();
    await page.getByRole('region', { name: 'Clients' }).waitFor();
    await sleep(500);
    const heapStart = await heapMiB(cdp);
    const framesBefore = (await frameTimes(page)).length;

    const run = runPeer('clients.mjs', [
      String(server.local.port),
      String(clients),
      String(seconds * 1000),
    ]);
    const startedAt = Date.now();
    await sleep((seconds * 1000) / 2);
    const heapMiddle = await heapMiB(cdp);
    await run;
    await sleep(Math.max(0, startedAt + seconds * 1000 - Date.now()));
    const frames = (await frameTimes(page)).slice(framesBefore);
    const heapEnd = await heapMiB(cdp);

    const accepted: number[] = [];
    let lines = 0;
    for (const record of engine.log.iterate(server.id)) {
      if (record.event === 'accepted') accepted.push(record.atUs);
      else if (record.direction === 'in') lines += 1;
    }
    if (accepted.length !== clients)
      throw new Error(`the server accepted ${accepted.length} of ${clients} clients`);
    const spanS = (Math.max(...accepted) - Math.min(...accepted)) / 1e6;
    metrics.server_accept_per_s = {
      value: round(clients / Math.max(spanS, 1e-3), 0),
      unit: 'accepts/s',
    };
    metrics.server_frame_p95_ms = { value: round(percentile(frames, 0.95), 1), unit: 'ms' };
    metrics.server_heap_start_MiB = { value: round(heapStart, 1), unit: 'MiB' };
    metrics.server_heap_middle_MiB = { value: round(heapMiddle, 1), unit: 'MiB' };
    metrics.server_heap_end_MiB = { value: round(heapEnd, 1), unit: 'MiB' };
    process.stderr.write(
      `  server: ${accepted.length} accepted in ${round(spanS * 1000, 0)} ms, ${lines} lines, ${frames.length} frames\n`,
    );
  } finally {
    await browser.close();
    await host.close();
    await engine.close();
  }
}

/** MiB/s through a plain Node echo server (`socket.pipe(socket)`) in this process. */
async function plainEchoRound(bytes: number): Promise<number> {
  const server = createServer((socket) => {
    socket.on('error', () => {});
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const ms = Number(
    await runPeer('echo-client.mjs', [
      String((server.address() as AddressInfo).port),
      String(bytes),
    ]),
  );
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return bytes / mebibyte / (ms / 1000);
}

/** MiB/s through a sockscope server in echo mode, every chunk logged both ways. */
async function sessionEchoRound(bytes: number): Promise<number> {
  const engine = await Engine.start({ transport: 'web', version: 'bench' });
  let serialized = 0;
  engine.events.subscribe((batch) => {
    serialized += encodeEventsFrame(batch).byteLength;
  });
  try {
    const listened = await dispatch(engine, 'tcp.listen', {
      host: '127.0.0.1',
      port: 0,
      mode: 'echo',
    });
    if (!listened.ok) throw new Error(listened.error.message);
    const port = (listened.result as { local: { port: number } }).local.port;
    const ms = Number(await runPeer('echo-client.mjs', [String(port), String(bytes)]));
    if (serialized === 0) throw new Error('no event batches were produced');
    return bytes / mebibyte / (ms / 1000);
  } finally {
    await engine.close();
  }
}

/** Echo mode with logging ÷ plain Node echo, paired rounds in this run; the median ratio. */
export async function benchTcpServerEcho(metrics: Metrics, quick: boolean): Promise<void> {
  const bytes = (quick ? 64 : 256) * mebibyte;
  const rounds = quick ? 1 : 5;
  await plainEchoRound(16 * mebibyte); // warm-up
  await sessionEchoRound(16 * mebibyte);
  const plain: number[] = [];
  const session: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const raw = await plainEchoRound(bytes);
    const ours = await sessionEchoRound(bytes);
    plain.push(raw);
    session.push(ours);
    ratios.push(ours / raw);
  }
  metrics.tcp_echo_plain_MiBps = { value: round(median(plain), 0), unit: 'MiB/s' };
  metrics.tcp_server_echo_MiBps = { value: round(median(session), 0), unit: 'MiB/s' };
  metrics.tcp_server_echo_ratio = { value: round(median(ratios), 2), unit: 'ratio' };
  process.stderr.write(`  echo ratios: ${ratios.map((r) => round(r, 2)).join(', ')}\n`);
}
