import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// "Message too long" for a datagram bigger than the path allows needs the socket to
// set Don't Fragment (IP_MTU_DISCOVER = IP_PMTUDISC_DO, IPV6_DONTFRAG). Node's dgram
// cannot set either, so Linux keeps its default (IP_PMTUDISC_WANT): a datagram over the
// path MTU is fragmented, never refused. This pins that down in a network namespace
// of the test's own whose loopback has an MTU of 1280, so if a runtime ever refuses
// such a send, the error path (EMSGSIZE worded as "message too long") is what applies.

const root = join(import.meta.dirname, '../../../..');
const namespacesWork =
  spawnSync('unshare', ['-n', 'sh', '-c', 'ip link set lo mtu 1280 && ip link set lo up'])
    .status === 0;
if (!namespacesWork)
  console.log(
    'skipped: cannot create a network namespace with a small loopback MTU here (unshare -n or ip failed)',
  );

describe.skipIf(!namespacesWork)('UDP over a path MTU of 1280 (network namespace)', () => {
  it('a 3,000-byte datagram is fragmented and arrives whole over IPv4 and IPv6: not refused', () => {
    const tsx = join(root, 'node_modules/tsx/dist/cli.mjs');
    const probe = join(root, 'tests/support/udp-path-mtu-probe.ts');
    const script = `ip link set lo mtu 1280 && ip link set lo up && exec "${process.execPath}" "${tsx}" --tsconfig "${join(root, 'tsconfig.node.json')}" "${probe}"`;
    const run = spawnSync('unshare', ['-n', 'sh', '-c', script], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Record<
      'v4' | 'v6',
      { sent: string; received: number[] }
    >;
    expect(result.v4).toEqual({ sent: 'sent 3000', received: [3000] });
    expect(result.v6).toEqual({ sent: 'sent 3000', received: [3000] });
  }, 90_000);
});
