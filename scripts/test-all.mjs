// npm test: every suite in order, then one line `N passed, N failed, N skipped` over all of them.
// Lint, typecheck and build count as one check each; vitest and Playwright count their tests.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './build-if-stale.mjs';

const results = join(root, 'test-results');
mkdirSync(results, { recursive: true });
const totals = { passed: 0, failed: 0, skipped: 0 };

function run(label, command, args, env = {}) {
  process.stdout.write(`\n=== ${label}: ${command} ${args.join(' ')}\n`);
  const child = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  return child.status === 0;
}

function check(label, command, args) {
  const ok = run(label, command, args);
  totals[ok ? 'passed' : 'failed'] += 1;
  process.stdout.write(`=== ${label}: ${ok ? 'passed' : 'FAILED'}\n`);
  return ok;
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

// The project needs Node >= 22.12 (package.json `engines`); .ci/run provides one where the
// machine's is older. npm runs this script, so its node must be a current one too.
function nodeIsCurrent(version) {
  const [major, minor] = version.replace(/^v/, '').split('.').map(Number);
  return major > 22 || (major === 22 && minor >= 12);
}
const npmNode = process.env.npm_node_execpath;
const npmNodeVersion =
  npmNode === undefined
    ? process.version
    : spawnSync(npmNode, ['-v'], { encoding: 'utf8' }).stdout.trim();
process.stdout.write(
  `\n=== runtime: node ${process.version} (${process.execPath}); npm runs under ${npmNodeVersion}\n`,
);
const runtimeOk = nodeIsCurrent(process.version) && nodeIsCurrent(npmNodeVersion);
totals[runtimeOk ? 'passed' : 'failed'] += 1;
process.stdout.write(
  `=== runtime: ${runtimeOk ? 'passed' : 'FAILED: sockscope needs Node >= 22.12; .ci/run fetches one from the npm registry into ~/.cache/sockscope and runs everything with it, or put one first on PATH'}\n`,
);

const npx = join(root, 'node_modules/.bin');
check('lint', join(npx, 'eslint'), ['.']);
check('format', join(npx, 'prettier'), ['--check', '.']);
check('typecheck (node)', join(npx, 'tsc'), ['--noEmit', '-p', 'tsconfig.node.json']);
check('typecheck (e2e)', join(npx, 'tsc'), ['--noEmit', '-p', 'tsconfig.e2e.json']);
check('typecheck (renderer tests)', join(npx, 'tsc'), [
  '--noEmit',
  '-p',
  'tsconfig.renderer-tests.json',
]);
check('typecheck (svelte)', join(npx, 'svelte-check'), [
  '--tsconfig',
  'tsconfig.web.json',
  '--fail-on-warnings',
]);
const built = check('build', join(npx, 'electron-vite'), ['build']);
check('electronegativity', process.execPath, [join(root, 'scripts/electronegativity.mjs')]);

const vitestJson = join(results, 'vitest.json');
rmSync(vitestJson, { force: true });
const unitOk = run('unit and integration (vitest)', join(npx, 'vitest'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${vitestJson}`,
]);
const unit = readJson(vitestJson);
if (unit === null) {
  totals.failed += 1;
  process.stdout.write('=== vitest wrote no report: counted as one failure\n');
} else {
  totals.passed += unit.numPassedTests;
  totals.failed += unit.numFailedTests + (unitOk || unit.numFailedTests > 0 ? 0 : 1);
  totals.skipped += unit.numPendingTests + unit.numTodoTests;
}

const e2eJson = join(results, 'playwright.json');
rmSync(e2eJson, { force: true });
if (built) {
  const e2eOk = run(
    'end to end (playwright)',
    join(npx, 'playwright'),
    ['test', '--reporter=list,json'],
    {
      PLAYWRIGHT_JSON_OUTPUT_NAME: e2eJson,
    },
  );
  const e2e = readJson(e2eJson);
  if (e2e === null) {
    totals.failed += 1;
    process.stdout.write('=== playwright wrote no report: counted as one failure\n');
  } else {
    totals.passed += e2e.stats.expected + e2e.stats.flaky;
    totals.failed += e2e.stats.unexpected + (e2eOk || e2e.stats.unexpected > 0 ? 0 : 1);
    totals.skipped += e2e.stats.skipped;
  }
} else {
  totals.failed += 1;
  process.stdout.write('=== end to end not run: the build failed (counted as one failure)\n');
}

process.stdout.write(
  `\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`,
);
process.exit(totals.failed === 0 ? 0 : 1);
