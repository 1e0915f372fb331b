// npm start: the desktop window when the Electron runtime is installed, browser mode when not.
import { spawn } from 'node:child_process';
import { buildIfStale, root } from './build-if-stale.mjs';
import { electronBinary } from './electron-runtime.mjs';

const binary = electronBinary();
if (binary === null) {
  process.stdout.write(
    'The Electron runtime is missing (it could not be downloaded here), so sockscope starts in browser mode: open the URL below.\n',
  );
  await import('./start-web.mjs');
} else {
  buildIfStale();
  const child = spawn(binary, ['.'], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
}
