import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

// Multicast and broadcast without anything leaving the machine: the sessions run
// in a fresh network namespace of the test's own (unshare -n) holding only
// loopback and a veth pair, so groups, TTLs and broadcasts stay inside it.

const root = join(import.meta.dirname, '../../../..');
const namespacesWork = spawnSync('unshare', ['-n', 'true']).status === 0;
const vethWorks =
  namespacesWork &&
  spawnSync('unshare', ['-n', 'sh', '-c', 'ip link add v0 type veth peer name v1']).status === 0;
if (!namespacesWork)
  console.log('skipped: cannot create a network namespace here (unshare -n failed)');
else if (!vethWorks)
  console.log('skipped: cannot create a veth pair in a network namespace (ip link add failed)');

const setup = [
  // No duplicate address detection: the link-local addresses are usable at once.
  'echo 0 > /proc/sys/net/ipv6/conf/default/accept_dad',
  'echo 0 > /proc/sys/net/ipv6/conf/all/accept_dad',
  'ip link set lo up',
  'ip link add v0 type veth peer name v1',
  'ip link set v0 up',
  'ip link set v1 up',
  'ip addr add 10.77.0.1/24 dev v0',
  'ip addr add 10.77.0.3/24 dev v0',
  // The limited broadcast needs a route; this one ends at v1, inside the namespace.
  'ip route add default dev v0',
].join(' && ');

interface ProbeResult {
  v4: { memberships: unknown[]; afterLeave: unknown[]; received: string[] };
  loopback: { received: string[]; options: { multicastLoopback: boolean } | null };
  leaveAll: unknown[];
  notMember: { code: string; message: string };
  ssm: { memberships: unknown[]; received: string[] };
  v6: { memberships: unknown[]; received: string[]; senders: string[] };
  broadcastOff: { code: string; message: string };
  broadcast: { received: string[]; option: boolean };
}

describe.skipIf(!vethWorks)('UDP multicast and broadcast in a network namespace', () => {
  let result: ProbeResult;

  beforeAll(() => {
    const tsx = join(root, 'node_modules/tsx/dist/cli.mjs');
    const probe = join(root, 'tests/support/udp-multicast-probe.ts');
    const script = `${setup} && exec "${process.execPath}" "${tsx}" --tsconfig "${join(root, 'tsconfig.node.json')}" "${probe}"`;
    const run = spawnSync('unshare', ['-n', 'sh', '-c', script], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (run.status !== 0) throw new Error(`probe failed (${run.status}): ${run.stderr}`);
    result = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as ProbeResult;
  }, 90_000);

  it('IPv4: a member receives the group; after leaving it does not', () => {
    expect(result.v4.memberships).toEqual([
      { group: '239.1.2.3', source: null, interface: '10.77.0.1' },
    ]);
    expect(result.v4.afterLeave).toEqual([]);
    expect(result.v4.received).toEqual(['v4-joined']);
  });

  it('multicast loopback off keeps a datagram from members on this host; on again delivers', () => {
    expect(result.loopback.received).toEqual(['v4-joined', 'v4-loopback']);
    expect(result.loopback.options?.multicastLoopback).toBe(true);
  });

  it('leave all empties the memberships; leaving again says "not a member"', () => {
    expect(result.leaveAll).toEqual([]);
    expect(result.notMember.code).toBe('ERR_MULTICAST_FAILED');
    expect(result.notMember.message).toContain('Not a member of group 239.1.2.3');
  });

  it('source-specific: only the named source is heard', () => {
    expect(result.ssm.memberships).toEqual([
      { group: '232.1.1.1', source: '10.77.0.1', interface: '10.77.0.1' },
    ]);
    expect(result.ssm.received).toEqual(['ssm-from-source']);
  });

  it('IPv6 with a scope id: joined on v0, heard from a link-local sender, silent after leave', () => {
    expect(result.v6.memberships).toEqual([
      { group: 'ff12::1234', source: null, interface: '::%v0' },
    ]);
    expect(result.v6.received).toEqual(['v6-joined']);
    expect(result.v6.senders[0]).toMatch(/^fe80::.*%v0$/);
  });

  it('broadcast: refused in words without the option; directed and limited delivered with it', () => {
    expect(result.broadcastOff.code).toBe('ERR_SOCKET_PERMISSION_DENIED');
    expect(result.broadcastOff.message).toMatch(/broadcast address.*SO_BROADCAST.*EACCES/);
    expect(result.broadcast.option).toBe(true);
    expect(result.broadcast.received).toEqual(['b-directed', 'b-limited']);
  });
});
