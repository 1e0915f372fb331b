// A Vitest reporter for npm test: writes the errors that fail a run outside any single test
// (unhandled errors and rejections, a failing beforeAll / afterAll, a file that cannot load)
// to test-results/vitest-run-errors.json, so scripts/test-all.mjs can repeat them just
// above its final line. CI shows only the end of the output; without this, such a failure
// reads as "all tests passed, 1 failed".
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const root = join(dirname(new URL(import.meta.url).pathname), '..');
export const runErrorsPath = join(root, 'test-results', 'vitest-run-errors.json');

function describe(error) {
  return {
    name: error?.name ?? 'Error',
    message: error?.message ?? String(error),
    stack: error?.stack ?? '',
    // Vitest marks an unhandled error with the file and test that were running when it came.
    testFile:
      error?.VITEST_TEST_PATH === undefined ? undefined : relative(root, error.VITEST_TEST_PATH),
    testName: error?.VITEST_TEST_NAME,
  };
}

export default class RunErrorsReporter {
  onTestRunEnd(testModules, unhandledErrors) {
    const modules = testModules
      .map((module) => ({
        file: relative(root, module.moduleId),
        errors: module.errors().map(describe),
      }))
      .filter((module) => module.errors.length > 0);
    mkdirSync(dirname(runErrorsPath), { recursive: true });
    writeFileSync(
      runErrorsPath,
      JSON.stringify({ unhandled: unhandledErrors.map(describe), modules }, null, 2),
    );
  }
}
