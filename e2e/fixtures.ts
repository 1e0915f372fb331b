import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron, test as base, expect } from '@playwright/test';
import type { ElectronApplication, Page } from '@playwright/test';
import { WebSocket } from 'ws';
import type { WebServerFrame } from '../src/shared/api';
import { electronBinary, electronMissingReason } from './electron-runtime';

const root = join(import.meta.dirname, '..');

export interface WebHostProcess {
  url: string;
  origin: string;
  token: string;
  child: ChildProcess;
}

/**
 * Starts `out/main/web.js` as start:web does and waits for its one URL line. Unless
 * told otherwise, its data directory is a fresh temp folder, never the user's own.
 */
export async function startWebHostProcess(args: string[] = []): Promise<WebHostProcess> {
  const dataDir = args.includes('--data-dir')
    ? []
    : ['--data-dir', mkdtempSync(join(tmpdir(), 'sockscope-e2e-'))];
  const child = spawn(process.execPath, [join(root, 'out/main/web.js'), ...dataDir, ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(
      () => reject(new Error(`start:web printed no URL: ${stderr}`)),
      15_000,
    );
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const newline = stdout.indexOf('\n');
      if (newline !== -1) {
        clearTimeout(timer);
        resolve(stdout.slice(0, newline));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`start:web exited with ${code}: ${stderr}`));
    });
  });
  const match = /^sockscope web: (http:\/\/127\.0\.0\.1:\d+)\/\?token=([0-9a-f]+)$/.exec(line);
  if (match === null) throw new Error(`unexpected start:web line: ${line}`);
  return { url: `${match[1]}/?token=${match[2]}`, origin: match[1]!, token: match[2]!, child };
}

type EngineCall = (command: string, args?: unknown) => Promise<unknown>;

/** Opens one WebSocket to a start:web engine, as a page does, and runs `use` with it. */
export async function withWebHost<T>(
  host: WebHostProcess,
  use: (call: EngineCall) => Promise<T>,
): Promise<T> {
  const socket = new WebSocket(`${host.origin.replace('http:', 'ws:')}/ws?token=${host.token}`, {
    headers: { Origin: host.origin },
  });
  const waiting = new Map<number, (frame: WebServerFrame) => void>();
  socket.on('message', (data, isBinary) => {
    // Event batches are binary frames; only the JSON replies matter here.
    if (isBinary) return;
    const frame = JSON.parse(data.toString()) as WebServerFrame;
    if (frame.kind === 'reply') waiting.get(frame.id)?.(frame);
  });
  let nextId = 1;
  const call: EngineCall = async (command, args = {}) => {
    const id = nextId++;
    const frame = await new Promise<WebServerFrame>((resolve) => {
      waiting.set(id, resolve);
      socket.send(JSON.stringify({ id, command, args }));
    });
    waiting.delete(id);
    if (frame.kind !== 'reply' || !frame.envelope.ok)
      throw new Error(`${command} failed: ${JSON.stringify(frame)}`);
    return frame.envelope.result;
  };
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return await use(call);
  } finally {
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.close();
    });
  }
}

/**
 * The engine outlives pages (a reload keeps its log and sessions), so each test
 * starts from an engine without sessions or records, as a fresh start would.
 */
async function resetEngine(host: WebHostProcess): Promise<void> {
  await withWebHost(host, async (call) => {
    const sessions = (await call('session.list')) as { id: string }[];
    for (const session of sessions) await call('session.remove', { sessionId: session.id });
    await call('log.clear');
  });
}

export function stopProcess(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

interface WorkerFixtures {
  webHost: WebHostProcess | null;
  electronApp: ElectronApplication | null;
}

interface TestFixtures {
  /** The app's window: the desktop window, or Chromium on the browser-mode URL. */
  app: Page;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  webHost: [
    async ({}, use, workerInfo) => {
      if (workerInfo.project.name !== 'web') return use(null);
      const host = await startWebHostProcess();
      await use(host);
      await stopProcess(host.child);
    },
    { scope: 'worker' },
  ],
  electronApp: [
    async ({}, use, workerInfo) => {
      if (workerInfo.project.name !== 'electron' || electronBinary() === null) return use(null);
      // Linux puts userData under $XDG_CONFIG_HOME: a temp folder, never the user's own settings.
      const app = await _electron.launch({
        args: [join(root, 'out/main/index.js')],
        cwd: root,
        env: { ...process.env, XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'sockscope-e2e-')) },
      });
      await use(app);
      await app.close();
    },
    { scope: 'worker' },
  ],
  app: async ({ page, webHost, electronApp }, use, testInfo) => {
    if (testInfo.project.name === 'electron') {
      test.skip(electronApp === null, electronMissingReason);
      const window = await electronApp!.firstWindow();
      await window.reload();
      await use(window);
      return;
    }
    await resetEngine(webHost!);
    await page.goto(webHost!.url);
    await use(page);
  },
});

export { expect };
