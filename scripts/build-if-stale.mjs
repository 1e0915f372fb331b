// Builds the app with electron-vite when out/ is missing or older than its sources.
// Quiet on success, so start:web's only line stays its URL line.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));
const outputs = [
  'out/main/index.js',
  'out/main/web.js',
  'out/preload/index.cjs',
  'out/renderer/index.html',
];
const inputs = ['src', 'package.json', 'electron.vite.config.ts', 'svelte.config.js'];

function newestMtime(path) {
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

export function buildIfStale() {
  const outputPaths = outputs.map((path) => join(root, path));
  if (outputPaths.every((path) => existsSync(path))) {
    const builtAt = Math.min(...outputPaths.map((path) => statSync(path).mtimeMs));
    const changedAt = Math.max(...inputs.map((path) => newestMtime(join(root, path))));
    if (builtAt >= changedAt) return;
  }
  const build = spawnSync(
    process.execPath,
    [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
  if (build.status !== 0) {
    process.stderr.write(
      `${build.stdout ?? ''}${build.stderr ?? ''}\nsockscope: the build failed.\n`,
    );
    process.exit(1);
  }
}
