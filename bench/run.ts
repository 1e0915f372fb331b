import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname } from 'node:path';
import { benchTcpServerClients, benchTcpServerEcho } from './tcp-server';
import { benchHeartbeatSessions } from './heartbeat-sessions';
import { benchTcpThroughput } from './tcp-throughput';
import { benchUiFlood, floodRates } from './ui-flood';
import { benchUdpRate } from './udp-rate';
import { benchUiUdp } from './ui-udp';
import type { Metrics } from './support';

// npm run bench -- [--json FILE] [--quick] [--only tcp|ui|udp|server|heartbeat] [--rates 5000,20000]
// Every figure comes from this one run; ratios compare against a baseline measured here too.

const args = process.argv.slice(2);
const option = (name: string): string | null => {
  const index = args.indexOf(name);
  return index === -1 ? null : (args[index + 1] ?? null);
};
const jsonPath = option('--json');
const quick = args.includes('--quick');
const only = option('--only');
const ratesOption = option('--rates');
const rates = ratesOption === null ? floodRates : ratesOption.split(',').map(Number);
if (rates.some((rate) => !Number.isInteger(rate) || rate < 100 || rate > 200_000))
  throw new Error(
    `--rates: each rate must be a whole number from 100 to 200000, not ${ratesOption}`,
  );
if (only !== null && !['tcp', 'ui', 'udp', 'server', 'heartbeat'].includes(only))
  throw new Error(`--only: must be tcp, ui, udp, server or heartbeat, not ${only}`);

const metrics: Metrics = {};
process.stderr.write(`sockscope bench on ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}\n`);
if (only === null || only === 'tcp') {
  process.stderr.write('tcp throughput…\n');
  await benchTcpThroughput(metrics, quick);
}
if (only === null || only === 'ui') {
  process.stderr.write('ui flood…\n');
  await benchUiFlood(metrics, quick, rates);
}
if (only === null || only === 'udp') {
  process.stderr.write('udp receive rate…\n');
  await benchUdpRate(metrics, quick);
  process.stderr.write('ui udp…\n');
  await benchUiUdp(metrics, quick);
}
if (only === null || only === 'server') {
  process.stderr.write('tcp server echo…\n');
  await benchTcpServerEcho(metrics, quick);
  process.stderr.write('tcp server clients…\n');
  await benchTcpServerClients(metrics, quick);
}
if (only === null || only === 'heartbeat') {
  process.stderr.write('heartbeat sessions…\n');
  await benchHeartbeatSessions(metrics, quick);
}

for (const [name, metric] of Object.entries(metrics))
  process.stdout.write(`${name.padEnd(30)} ${String(metric.value).padStart(10)} ${metric.unit}\n`);
if (jsonPath !== null) {
  mkdirSync(dirname(jsonPath), { recursive: true });
  writeFileSync(jsonPath, `${JSON.stringify({ metrics }, null, 2)}\n`);
}
process.exit(0);
