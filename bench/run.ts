import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname } from 'node:path';
import { benchTcpThroughput } from './tcp-throughput';
import { benchUiFlood } from './ui-flood';
import { benchUdpRate } from './udp-rate';
import { benchUiUdp } from './ui-udp';
import type { Metrics } from './support';

// npm run bench -- [--json FILE] [--quick]
// Every figure comes from this one run; ratios compare against a baseline measured here too.

const args = process.argv.slice(2);
const jsonIndex = args.indexOf('--json');
const jsonPath = jsonIndex === -1 ? null : (args[jsonIndex + 1] ?? null);
const quick = args.includes('--quick');

const metrics: Metrics = {};
process.stderr.write(`sockscope bench on ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}\n`);
process.stderr.write('tcp throughput…\n');
await benchTcpThroughput(metrics, quick);
process.stderr.write('ui flood…\n');
await benchUiFlood(metrics, quick);
process.stderr.write('udp receive rate…\n');
await benchUdpRate(metrics, quick);
process.stderr.write('ui udp…\n');
await benchUiUdp(metrics, quick);

for (const [name, metric] of Object.entries(metrics))
  process.stdout.write(`${name.padEnd(22)} ${String(metric.value).padStart(10)} ${metric.unit}\n`);
if (jsonPath !== null) {
  mkdirSync(dirname(jsonPath), { recursive: true });
  writeFileSync(jsonPath, `${JSON.stringify({ metrics }, null, 2)}\n`);
}
process.exit(0);
