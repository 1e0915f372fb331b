// npm run start:web -- [--port N]: browser mode, the engine in Node and the UI in a browser.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildIfStale, root } from './build-if-stale.mjs';

buildIfStale();
await import(pathToFileURL(join(root, 'out/main/web.js')).href);
