// npm test: every suite in order, then one line `N passed, N failed, N skipped` over all of them.
// Lint, typecheck and build count as one check each; vitest and Playwright count their tests.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './build-if-stale.mjs';
import { runErrorsPath } from './vitest-run-errors-reporter.mjs';

const results = join(root, 'test-results');
mkdirSync(results, { recursive: true });
const totals = { passed: 0, failed: 0, skipped: 0 };
// What failed, repeated just above the final line, where CI's shortened output still shows it.
const failureLines = [];

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
  if (!ok) failureLines.push(`${label} failed (its output is above)`);
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
rmSync(runErrorsPath, { force: true });
const unitOk = run('unit and integration (vitest)', join(npx, 'vitest'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${vitestJson}`,
  `--reporter=${join(root, 'scripts/vitest-run-errors-reporter.mjs')}`,
]);

const unit = readJson(vitestJson);
if (unit === null) {
  totals.failed += 1;
  process.stdout.write('=== vitest wrote no report: counted as one failure\n');
} else {
  totals.passed += unit.numPassedTests;
  totals.failed += unit.numFailedTests + (unitOk || unit.numFailedTests > 0 ? 0 : 1);
  totals.skipped += unit.numPendingTests + unit.numTodoTests;
  for (const file of unit.testResults) {
    for (const test of file.assertionResults) {
      if (test.status === 'failed') failureLines.push(`vitest test failed: ${test.fullName}`);
    }
  }
}
const runErrors = readJson(runErrorsPath);
for (const error of runErrors?.unhandled ?? []) {
  const during =
    error.testFile === undefined ? '' : ` (during ${error.testFile} ${error.testName ?? ''})`;
  failureLines.push(
    `vitest unhandled error${during}: ${error.stack || `${error.name}: ${error.message}`}`,
  );
}
for (const module of runErrors?.modules ?? []) {
  for (const error of module.errors) {
    failureLines.push(`vitest error in ${module.file}: ${error.stack || error.message}`);
  }
}
if (!unitOk && failureLines.length === 0) {
  failureLines.push('vitest exited non-zero without a failed test or a reported error');
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
    const walk = (suite) => {
      for (const spec of suite.specs ?? []) {
        if (!spec.ok)
          failureLines.push(`playwright test failed: ${spec.file}:${spec.line} ${spec.title}`);
      }
      for (const inner of suite.suites ?? []) walk(inner);
    };
    for (const suite of e2e.suites ?? []) walk(suite);
    for (const error of e2e.errors ?? []) {
      failureLines.push(`playwright error: ${error.stack || error.message}`);
    }
    if (!e2eOk && e2e.stats.unexpected === 0 && (e2e.errors ?? []).length === 0) {
      failureLines.push('playwright exited non-zero without a failed test or a reported error');
    }
  }
} else {
  totals.failed += 1;
  process.stdout.write('=== end to end not run: the build failed (counted as one failure)\n');
}

if (failureLines.length > 0) {
  // Stacks cut to a dozen lines each: enough to find the test, short enough to stay in view.
  const shown = failureLines.map((line) => line.split('\n').slice(0, 12).join('\n'));
  process.stdout.write(`\n=== what failed\n${shown.join('\n')}\n`);
}
process.stdout.write(
  `\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`,
);
process.exit(totals.failed === 0 ? 0 : 1);
