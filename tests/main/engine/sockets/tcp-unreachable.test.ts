import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SessionInfo } from '@shared/contract';

// "Unreachable" without touching any outside network: the session runs in a fresh
// network namespace of the test's own (unshare -n). There, with loopback down, the
// network is unreachable; with an `unreachable` route for part of 127/8, that host is.

const root = join(import.meta.dirname, '../../../..');
const namespacesWork = spawnSync('unshare', ['-n', 'true']).status === 0;
if (!namespacesWork)
  console.log(
    'skipped: cannot create a network namespace here (unshare -n failed), so no unreachable test',
  );

const ipWorks = spawnSync('ip', ['-V']).status === 0;
if (!ipWorks) console.log('note: iproute2 (ip) is absent, so the host-unreachable case is skipped');

function probeInNamespace(setup: string, host: string): SessionInfo {
  const tsx = join(root, 'node_modules/tsx/dist/cli.mjs');
  const probe = join(root, 'tests/support/unreachable-probe.ts');
  const script = `${setup} exec "${process.execPath}" "${tsx}" --tsconfig "${join(root, 'tsconfig.node.json')}" "${probe}" ${host} 7`;
  const result = spawnSync('unshare', ['-n', 'sh', '-c', script], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (result.status !== 0) throw new Error(`probe failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as SessionInfo;
}

describe.skipIf(!namespacesWork)('TCP client: unreachable networks and hosts', () => {
  it('says "network unreachable" with ENETUNREACH', () => {
    const session = probeInNamespace('', '127.0.0.1');
    expect(session.state).toBe('failed');
    expect(session.lastError).toMatchObject({
      code: 'ERR_SOCKET_UNREACHABLE',
      details: { osCode: 'ENETUNREACH' },
    });
    expect(session.lastError!.message).toContain('Network unreachable');
  });

  it.skipIf(!ipWorks)('says "host unreachable" with EHOSTUNREACH', () => {
    const session = probeInNamespace(
      'ip link set lo up && ip route add unreachable 127.77.0.0/16 &&',
      '127.77.0.1',
    );
    expect(session.lastError).toMatchObject({
      code: 'ERR_SOCKET_UNREACHABLE',
      details: { osCode: 'EHOSTUNREACH' },
    });
    expect(session.lastError!.message).toContain('Host unreachable');
  });
});
