// npm run bench -- [--json FILE] [--quick]: builds the renderer if needed, then runs bench/run.ts.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { buildIfStale, root } from './build-if-stale.mjs';

buildIfStale();
const result = spawnSync(
  process.execPath,
  [
    join(root, 'node_modules/tsx/dist/cli.mjs'),
    '--tsconfig',
    join(root, 'tsconfig.node.json'),
    join(root, 'bench/run.ts'),
    ...process.argv.slice(2),
  ],
  { cwd: root, stdio: 'inherit' },
);
process.exit(result.status ?? 1);
