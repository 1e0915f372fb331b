import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { version } from '../../../package.json';
import { Engine } from '../engine';
import { defaultDataDir } from '../engine/settings/data-dir';
import { startWebHost } from './server';
import type { WebHost } from './server';

// `npm run start:web -- [--port N] [--data-dir DIR]`: the engine in plain Node, the UI in
// any browser. Settings and history live in DIR (default $XDG_CONFIG_HOME/sockscope,
// else ~/.config/sockscope).

function parsePort(argv: string[]): number {
  const index = argv.indexOf('--port');
  if (index === -1) return 0;
  const text = argv[index + 1] ?? '';
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) {
    process.stderr.write(`sockscope web: --port must be a number from 0 to 65535, not "${text}"\n`);
    process.exit(2);
  }
  return port;
}

function parseDataDir(argv: string[]): string {
  const index = argv.indexOf('--data-dir');
  if (index === -1) return defaultDataDir();
  const dir = argv[index + 1] ?? '';
  if (dir === '' || dir.startsWith('--')) {
    process.stderr.write('sockscope web: --data-dir needs a directory\n');
    process.exit(2);
  }
  return resolve(dir);
}

async function main(): Promise<void> {
  const port = parsePort(process.argv.slice(2));
  const dataDir = parseDataDir(process.argv.slice(2));
  const rendererDir = fileURLToPath(new URL('../renderer', import.meta.url));
  let engine: Engine | null = null;
  let host: WebHost | null = null;

  // Installed before the URL line is printed: whoever reads that line may signal at once.
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void Promise.all([host?.close(), engine?.close()]).finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  engine = await Engine.start({ transport: 'web', version, dataDir });
  host = await startWebHost({ engine, rendererDir, port });
  if (stopping) return;
  process.stdout.write(`sockscope web: ${host.url}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `sockscope web: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
