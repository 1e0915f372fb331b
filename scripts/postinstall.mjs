// Fetches the Electron runtime where the network allows, and never fails the install
// where it does not: sockscope then runs in browser mode (npm start says so).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './build-if-stale.mjs';
import { electronBinary } from './electron-runtime.mjs';

const installer = join(root, 'node_modules/electron/install.js');
if (
  process.env.ELECTRON_SKIP_BINARY_DOWNLOAD ||
  electronBinary() !== null ||
  !existsSync(installer)
) {
  process.exit(0);
}
const result = spawnSync(process.execPath, [installer], {
  cwd: join(root, 'node_modules/electron'),
  encoding: 'utf8',
  timeout: 300_000,
});
if (result.status === 0 && electronBinary() !== null) {
  process.stdout.write('sockscope: Electron runtime installed.\n');
} else {
  process.stdout.write(
    'sockscope: the Electron runtime could not be downloaded; `npm start` will run sockscope in browser mode.\n',
  );
}
