import { encodeEventsFrame } from '../src/shared/events-frame';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Engine } from '../src/main/engine';
import { defaultRecvBufferBytes } from '../src/main/engine/sockets/udp-session';
import { benchDir, round, sleep } from './support';
import type { Metrics } from './support';
import { call } from './page-metrics';

/** A peer process whose stdout is read line by line (its port first, its report last). */
function startLinePeer(script: string, args: string[]): { child: ChildProcess; lines: string[] } {
  const child = spawn(process.execPath, [join(benchDir, 'peers', script), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  let pending = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const parts = pending.split('\n');
    pending = parts.pop() ?? '';
    lines.push(...parts);
  });
  return { child, lines };
}

async function nextLine(lines: string[], index: number, what: string): Promise<string> {
  for (let waited = 0; waited < 60_000; waited += 10) {
    const line = lines[index];
    if (line !== undefined) return line;
    await sleep(10);
  }
  throw new Error(`${what} printed nothing`);
}

/**
 * One sender process sends 64-byte datagrams as fast as this machine sustains for
 * `seconds`; a plain Node dgram receiver (its own process, the same receive buffer) and a sockscope UDP
 * session with logging (this process, every event batch serialized as the
 * browser-mode transport would) each receive every one of them in the same run.
 */
export async function benchUdpRate(metrics: Metrics, quick: boolean): Promise<void> {
  const seconds = quick ? 3 : 10;
  const engine = await Engine.start({ transport: 'web', version: 'bench' });
  let serialized = 0;
  engine.events.subscribe((batch) => {
    serialized += encodeEventsFrame(batch).byteLength;
  });
  const sink = startLinePeer('udp-sink.mjs', [String(defaultRecvBufferBytes)]);
  try {
    const rawPort = Number(await nextLine(sink.lines, 0, 'udp-sink'));
    const session = (await call(engine, 'udp.bind', { localAddress: '127.0.0.1' })) as {
      id: string;
      local: { port: number };
    };
    const sender = startLinePeer('udp-sender.mjs', [
      String(seconds * 1000),
      '0',
      String(rawPort),
      String(session.local.port),
    ]);
    const report = JSON.parse(await nextLine(sender.lines, 0, 'udp-sender')) as {
      sent: number;
      failed: number;
      seconds: number;
    };
    // The last datagrams in the receivers' buffers are read before counting.
    await sleep(500);
    sink.child.kill('SIGTERM');
    const raw = JSON.parse(await nextLine(sink.lines, 1, 'udp-sink report')) as {
      datagrams: number;
    };
    const info = (await call(engine, 'session.info', { sessionId: session.id })) as {
      stats: { packetsIn: number };
    };
    // Each datagram the session counted went into the log in the same call.
    const logged = info.stats.packetsIn;
    if (serialized === 0) throw new Error('no event batches were produced');
    const sent = report.sent;
    metrics.udp_raw_pps = { value: round(raw.datagrams / report.seconds, 0), unit: 'datagrams/s' };
    metrics.udp_rx_pps = { value: round(logged / report.seconds, 0), unit: 'datagrams/s' };
    metrics.udp_rx_ratio = { value: round(logged / Math.max(1, raw.datagrams), 3), unit: 'ratio' };
    metrics.udp_raw_loss_pct = {
      value: round(((sent - raw.datagrams) / sent) * 100, 2),
      unit: '%',
    };
    metrics.udp_loss_pct = { value: round(((sent - logged) / sent) * 100, 2), unit: '%' };
    process.stderr.write(
      `  udp: sent ${sent} × 2 in ${round(report.seconds, 1)} s (${report.failed} send errors); raw got ${raw.datagrams}, session logged ${logged}\n`,
    );
  } finally {
    sink.child.kill('SIGKILL');
    await engine.close();
  }
}
