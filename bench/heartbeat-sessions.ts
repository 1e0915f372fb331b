import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { chromiumArgs, chromiumPath } from '../e2e/chromium';
import { Engine } from '../src/main/engine';
import { dispatch } from '../src/main/router';
import { startWebHost } from '../src/main/web/server';
import { percentile, root, round, sleep, startPeerProcess } from './support';
import type { Metrics } from './support';

const sessionCount = 500;
const intervalMs = 100;

/**
 * 500 TCP clients, each with a 100 ms heartbeat expecting "pong", against a
 * peer in another process that answers at once, with the browser UI following
 * the log. Timer drift is read from the log itself: beat k of a session should
 * go out k intervals after its first beat. The engine's CPU share is this
 * process's CPU time (engine and web host) over the wall time.
 */
export async function benchHeartbeatSessions(metrics: Metrics, quick: boolean): Promise<void> {
  const seconds = quick ? 5 : 20;
  const engine = await Engine.start({ transport: 'web', version: 'bench' });
  const host = await startWebHost({ engine, rendererDir: join(root, 'out/renderer') });
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs });
  const peer = await startPeerProcess('pong.mjs', []);
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(host.url);
    await page.getByRole('navigation').getByRole('button', { name: 'TCP client' }).click();
    await page.getByRole('region', { name: 'Packet log' }).waitFor();

    const ids: string[] = [];
    for (let i = 0; i < sessionCount; i++) {
      const envelope = await dispatch(engine, 'tcp.connect', {
        host: '127.0.0.1',
        port: peer.port,
      });
      if (!envelope.ok) throw new Error(envelope.error.message);
      ids.push((envelope.result as { id: string }).id);
    }
    for (const sessionId of ids) {
      const envelope = await dispatch(engine, 'session.heartbeat', {
        sessionId,
        heartbeat: {
          intervalMs,
          payload: { format: 'text', text: 'ping' },
          expect: { kind: 'contains', value: 'pong' },
          missedBeforeDead: 5,
        },
      });
      if (!envelope.ok) throw new Error(envelope.error.message);
    }
    await sleep(1000); // past the first beats
    const cpuBefore = process.cpuUsage();
    const wallBefore = performance.now();
    const fromUs = Date.now() * 1000;
    await sleep(seconds * 1000);
    const toUs = Date.now() * 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const wallMs = performance.now() - wallBefore;

    const drifts: number[] = [];
    let beats = 0;
    let replies = 0;
    let dead = 0;
    for (const sessionId of ids) {
      const sent = [...engine.log.iterate(sessionId)]
        .filter(
          (record) => record.direction === 'out' && record.atUs >= fromUs && record.atUs <= toUs,
        )
        .map((record) => record.atUs / 1000);
      beats += sent.length;
      const first = sent[0];
      if (first !== undefined)
        for (const at of sent.slice(1)) {
          const slot = Math.round((at - first) / intervalMs);
          drifts.push(Math.abs(at - first - slot * intervalMs));
        }
      const info = await dispatch(engine, 'session.info', { sessionId });
      if (info.ok) {
        const session = info.result as { state: string; heartbeat: { replies: number } | null };
        replies += session.heartbeat?.replies ?? 0;
        if (session.state === 'dead') dead += 1;
      }
    }
    const expected = (sessionCount * (seconds * 1000)) / intervalMs;
    metrics.heartbeat_drift_p95_ms = { value: round(percentile(drifts, 0.95), 2), unit: 'ms' };
    metrics.heartbeat_beats_pct = { value: round((beats / expected) * 100, 1), unit: '%' };
    metrics.heartbeat_engine_cpu_pct = {
      value: round(((cpu.user + cpu.system) / 1000 / wallMs) * 100, 1),
      unit: '% of one core',
    };
    process.stderr.write(
      `  heartbeat: ${sessionCount} sessions, ${beats} beats in ${seconds} s (expected ${expected}), ${replies} replies in all, ${dead} dead\n`,
    );
  } finally {
    peer.child.kill();
    await browser.close();
    await host.close();
    await engine.close();
  }
}
