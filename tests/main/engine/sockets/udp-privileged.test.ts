import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CallEnvelope } from '@shared/errors';

// "Permission denied" for a port below 1024 needs a process without the privilege to
// bind one; the tests run as root here, so the probe drops CAP_NET_BIND_SERVICE first.

const root = join(import.meta.dirname, '../../../..');
const isRoot = process.getuid?.() === 0;
const setprivWorks =
  spawnSync('setpriv', ['--bounding-set', '-net_bind_service', 'true']).status === 0;
/** Linux lets everyone bind from this port up (1024 unless the machine lowered it). */
const unprivilegedFrom = (() => {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8'));
  } catch {
    return 1024;
  }
})();
const canTest = (!isRoot || setprivWorks) && unprivilegedFrom > 80;
if (!canTest)
  console.log(
    unprivilegedFrom <= 80
      ? `skipped: this machine lets anyone bind ports from ${unprivilegedFrom}, so port 80 is not privileged here`
      : 'skipped: running as root without setpriv, so nothing here lacks the right to bind ports below 1024',
  );

function callWithoutPrivilege(command: string, args: object): CallEnvelope {
  const tsx = join(root, 'node_modules/tsx/dist/cli.mjs');
  const probe = join(root, 'tests/support/engine-call-probe.ts');
  const node = [tsx, '--tsconfig', join(root, 'tsconfig.node.json'), probe, command];
  const drop = isRoot
    ? ['setpriv', '--bounding-set', '-net_bind_service', '--inh-caps', '-net_bind_service']
    : [];
  const [program = process.execPath, ...rest] = [...drop, process.execPath, ...node];
  const run = spawnSync(program, [...rest, JSON.stringify(args)], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (run.status !== 0) throw new Error(`probe failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as CallEnvelope;
}

describe.skipIf(!canTest)('UDP bind without the privilege for low ports', () => {
  it('says "permission denied" with EACCES for port 80', () => {
    const envelope = callWithoutPrivilege('udp.bind', { localAddress: '127.0.0.1', localPort: 80 });
    expect(envelope.ok).toBe(false);
    if (envelope.ok) return;
    expect(envelope.error).toMatchObject({
      code: 'ERR_SOCKET_PERMISSION_DENIED',
      details: { osCode: 'EACCES' },
    });
    expect(envelope.error.message).toMatch(
      /Permission denied binding 127\.0\.0\.1:80: ports below 1024/,
    );
  });
});
