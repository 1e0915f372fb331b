import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// UDP on plain loopback never pushes back: the kernel hands each datagram on at once
// (or drops it), so a UDP socket's write queue stays empty. In a network namespace of
// the test's own, loopback gets a token bucket (tc tbf) of 8 kbit/s: datagrams wait in
// it, the socket's send buffer fills, the kernel stops taking them and the engine's
// write queue fills for real. The probe then sends a file as the renderer does.

const root = join(import.meta.dirname, '../../../..');
const setup = 'ip link set lo up && tc qdisc add dev lo root tbf rate 8kbit burst 64kb limit 64mb';
const shapingWorks = spawnSync('unshare', ['-n', 'sh', '-c', setup]).status === 0;
if (!shapingWorks)
  console.log(
    'skipped: cannot shape loopback in a network namespace here (unshare -n or tc qdisc tbf failed)',
  );

interface Failure {
  code: string;
  message: string;
}
interface ProbeResult {
  waits: {
    backlog: number;
    full: number;
    pausedAt: number;
    stillAt: number;
    fileDatagramsOut: number;
    expected: number;
    arrived: number;
    inOrder: boolean;
  };
  ends: {
    closed: Failure;
    cancelledCount: { cancelled: number };
    cancelled: Failure;
    markedSent: number;
  };
}

describe.skipIf(!shapingWorks)(
  'a UDP file sent while the write queue is full (shaped loopback)',
  () => {
    it('waits, goes on in order once the kernel takes datagrams, ends on a close or a cancel', () => {
      const tsx = join(root, 'node_modules/tsx/dist/cli.mjs');
      const probe = join(root, 'tests/support/udp-backpressure-probe.ts');
      const script = `${setup} && exec "${process.execPath}" "${tsx}" --tsconfig "${join(root, 'tsconfig.node.json')}" "${probe}"`;
      const run = spawnSync('unshare', ['-n', 'sh', '-c', script], {
        encoding: 'utf8',
        timeout: 90_000,
      });
      expect(run.status, run.stderr).toBe(0);
      const { waits, ends } = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as ProbeResult;

      // The queue really filled: within one small datagram of its 16 MiB limit.
      expect(waits.backlog).toBeGreaterThan(200);
      expect(waits.full).toBeGreaterThan(16 * 1024 * 1024 - 1000);
      expect(waits.full).toBeLessThanOrEqual(16 * 1024 * 1024);
      // No datagram of the file went while it was full, for two seconds.
      expect(waits.pausedAt).toBe(0);
      expect(waits.stillAt).toBe(0);
      expect(waits.fileDatagramsOut).toBe(0);
      // Once the bucket opened: every datagram, the backlog's then the file's, in order.
      expect(waits.arrived).toBe(waits.expected);
      expect(waits.inOrder).toBe(true);

      expect(ends.closed.code).toBe('ERR_SESSION_NOT_CONNECTED');
      expect(ends.closed.message).toMatch(
        /Cannot send on 127\.0\.0\.1:\d+: it is (closing|closed)/,
      );
      expect(ends.cancelledCount).toEqual({ cancelled: 1 });
      expect(ends.cancelled.code).toBe('ERR_SEND_CANCELLED');
      expect(ends.markedSent).toBe(0);
    }, 120_000);
  },
);
