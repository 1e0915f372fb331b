import { encodeEventsFrame } from '../src/shared/events-frame';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Engine } from '../src/main/engine';
import { dispatch } from '../src/main/router';
import { median, round, runPeerProcess, sleep, startPeerProcess } from './support';
import type { Metrics } from './support';

const mebibyte = 1024 * 1024;

/** Raw Node: a sink server here, a client in another process writing 64 KiB chunks. */
async function rawRound(bytes: number): Promise<number> {
  let received = 0;
  let started = 0;
  let finished = 0;
  const done = new Promise<void>((resolve) => {
    const server = createServer((socket) => {
      started = performance.now();
      socket.on('data', (chunk) => {
        received += chunk.length;
      });
      socket.on('end', () => {
        finished = performance.now();
        socket.end();
        server.close();
        resolve();
      });
    });
    server.listen(0, '127.0.0.1', () => {
      runPeerProcess('writer.mjs', [
        'connect',
        String((server.address() as AddressInfo).port),
        String(bytes),
      ]);
    });
  });
  await done;
  if (received !== bytes) throw new Error(`raw sink got ${received} of ${bytes} bytes`);
  return bytes / mebibyte / ((finished - started) / 1000);
}

/**
 * The same bytes into a sockscope TCP client session, with the log recording every
 * chunk and every batch serialized as the browser-mode transport would send it.
 */
async function sessionRound(bytes: number): Promise<number> {
  const engine = await Engine.start({ transport: 'web', version: 'bench' });
  let serialized = 0;
  engine.events.subscribe((batch) => {
    serialized += encodeEventsFrame(batch).byteLength;
  });
  const peer = await startPeerProcess('writer.mjs', ['serve', String(bytes)]);
  const startedUs = (performance.timeOrigin + performance.now()) * 1000;
  const connected = await dispatch(engine, 'tcp.connect', { host: '127.0.0.1', port: peer.port });
  if (!connected.ok) throw new Error(connected.error.message);
  const sessionId = (connected.result as { id: string }).id;
  // The peer closes once it has written everything. Poll slowly (polling is not free),
  // then take the time of the last chunk from the log itself: exact, and costless.
  for (;;) {
    const info = await dispatch(engine, 'session.info', { sessionId });
    if (info.ok && (info.result as { state: string }).state === 'closed') break;
    await sleep(25);
  }
  let received = 0;
  let lastChunkUs = 0;
  for (const record of engine.log.iterate(sessionId)) {
    if (record.direction !== 'in') continue;
    lastChunkUs = record.atUs;
  }
  const info = await dispatch(engine, 'session.info', { sessionId });
  if (info.ok) received = (info.result as { stats: { bytesIn: number } }).stats.bytesIn;
  if (received !== bytes) throw new Error(`session got ${received} of ${bytes} bytes`);
  peer.child.kill();
  await engine.close();
  if (serialized === 0) throw new Error('no event batches were produced');
  return bytes / mebibyte / ((lastChunkUs - startedUs) / 1_000_000);
}

export async function benchTcpThroughput(metrics: Metrics, quick: boolean): Promise<void> {
  const bytes = (quick ? 256 : 768) * mebibyte;
  const rounds = quick ? 2 : 5;
  // One discarded round warms up the JIT, the kernel's buffers and the page cache.
  await rawRound(64 * mebibyte);
  await sessionRound(64 * mebibyte);
  const raw: number[] = [];
  const session: number[] = [];
  const ratios: number[] = [];
  // Each round measures both back to back, so drift on a noisy machine hits both alike;
  // the ratio is the median of those paired ratios.
  for (let round_ = 0; round_ < rounds; round_++) {
    raw.push(await rawRound(bytes));
    session.push(await sessionRound(bytes));
    ratios.push(session.at(-1)! / raw.at(-1)!);
    process.stderr.write(
      `  tcp round ${round_ + 1}: raw ${raw.at(-1)!.toFixed(0)} MiB/s, session ${session.at(-1)!.toFixed(0)} MiB/s, ratio ${ratios.at(-1)!.toFixed(3)}\n`,
    );
  }
  metrics.tcp_raw_MiBps = { value: round(median(raw), 1), unit: 'MiB/s' };
  metrics.tcp_client_MiBps = { value: round(median(session), 1), unit: 'MiB/s' };
  metrics.tcp_client_ratio = { value: round(median(ratios), 3), unit: 'ratio' };
}
