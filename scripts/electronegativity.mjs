// npm test's Electronegativity check: scans the app's sources and package.json for
// Electron misconfigurations, given the installed Electron version, reads its SARIF, and
// fails on any finding not listed below as a known false positive with its reason.
import Module, { createRequire } from 'node:module';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './build-if-stale.mjs';

/** Findings that are wrong about this app: rule, file, and why. Anything else fails. */
export const knownFalsePositives = [
  {
    rule: 'CSP_GLOBAL_CHECK',
    file: 'src/main/window.ts',
    reason:
      'the header is set from the contentSecurityPolicy constant, which the scanner cannot read ("failed to parse"); the same policy is in index.html, scanned below, and tests/main/window.test.ts checks that they match',
  },
  {
    rule: 'CSP_GLOBAL_CHECK',
    file: 'src/renderer/index.html',
    reason:
      "the evaluator's only remark is that script-src 'self' can be risky where the origin hosts JSONP, Angular or user uploads; 'self' here is app://sockscope (or the browser-mode host), which serves the built renderer and nothing else",
  },
  {
    rule: 'PRELOAD_JS_CHECK',
    file: 'src/main/window.ts',
    reason:
      "a review reminder raised for any preload; ours runs sandboxed and exposes one object through contextBridge (call and onEvents, no ipcRenderer), and main checks every call's sender and arguments (tests/preload, tests/main/ipc.test.ts)",
  },
  {
    rule: 'ELECTRON_VERSION_JSON_CHECK',
    file: 'package.json',
    reason:
      'an informational record of the Electron version for the release check below, not a finding',
  },
];

/**
 * Not run: it downloads Electron's release list from the internet, and npm test reaches
 * only loopback. package.json pins the newest supported Electron instead (README).
 */
const excludedChecks = ['AvailableSecurityFixesGlobalCheck'];

const require = createRequire(import.meta.url);

// Electronegativity also fetches translations from the internet. Its HTTP client is
// replaced by one that refuses at once, so nothing leaves the machine (it falls back to
// its bundled English text).
const refuse = () => Promise.reject(new Error('offline: npm test reaches only loopback'));
const offlineGot = Object.assign(refuse, { head: refuse });
const load = Module._load;
Module._load = function (request, ...rest) {
  return request === 'got' ? offlineGot : load.call(this, request, ...rest);
};

async function readWhenWritten(path) {
  // The SARIF file is written without being awaited; wait (bounded) for it to parse.
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (existsSync(path)) {
      try {
        return JSON.parse(readFileSync(path, 'utf8'));
      } catch {
        // Still being written.
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Electronegativity wrote no SARIF report at ${path}`);
}

async function main() {
  const run = require('@doyensec/electronegativity/dist/runner.js');
  const electronVersion = JSON.parse(
    readFileSync(require.resolve('electron/package.json'), 'utf8'),
  ).version;

  // What ships: the sources and package.json (the scanner takes one folder).
  const work = join(root, 'test-results/electronegativity');
  const input = join(work, 'input');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(input, { recursive: true });
  cpSync(join(root, 'src'), join(input, 'src'), { recursive: true });
  copyFileSync(join(root, 'package.json'), join(input, 'package.json'));
  const output = join(work, 'electronegativity.sarif');

  const report = await run({
    input,
    output,
    isSarif: true,
    customScan: [],
    excludeFromScan: excludedChecks,
    isRelative: true,
    isVerbose: false,
    electronVersionOverride: electronVersion,
    parserPlugins: [],
  });
  const sarif = await readWhenWritten(output);

  const problems = [];
  for (const error of report.errors)
    if (!error.tolerable) problems.push(`could not parse ${error.file}: ${error.message}`);
  const results = sarif.runs[0].results;
  let accepted = 0;
  for (const result of results) {
    const location = result.locations?.[0]?.physicalLocation;
    const file = location?.artifactLocation?.uri ?? '';
    const known = knownFalsePositives.find(
      (entry) => entry.rule === result.ruleId && entry.file === file,
    );
    const where = `${file}:${location?.region?.startLine ?? '?'}`;
    if (known === undefined) {
      problems.push(`${result.ruleId} at ${where}: ${result.message.text}`);
    } else {
      accepted += 1;
      process.stdout.write(
        `known false positive: ${result.ruleId} at ${where} (${known.reason})\n`,
      );
    }
  }
  process.stdout.write(
    `Electronegativity ${sarif.runs[0].tool.driver.version}, Electron ${electronVersion}: ` +
      `${report.globalChecks + report.atomicChecks} checks over ${report.atomicChecks > 0 ? 'src/ and package.json' : 'nothing'}, ` +
      `${results.length} findings, ${accepted} known false positives, ${problems.length} problems\n`,
  );
  for (const problem of problems) process.stdout.write(`FINDING: ${problem}\n`);
  return problems.length === 0 && report.atomicChecks > 0;
}

main().then(
  (ok) => process.exit(ok ? 0 : 1),
  (error) => {
    process.stderr.write(`electronegativity: ${error instanceof Error ? error.stack : error}\n`);
    process.exit(1);
  },
);
