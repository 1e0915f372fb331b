import { defineConfig } from '@playwright/test';
import { chromiumArgs, chromiumPath } from './e2e/chromium';

const chromiumUse = {
  browserName: 'chromium' as const,
  launchOptions: { executablePath: chromiumPath(), args: chromiumArgs },
};

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results/e2e',
  globalSetup: './e2e/global-setup.ts',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    // `*.web.spec.ts` is browser mode only, `*.electron.spec.ts` the desktop window only.
    { name: 'web', use: chromiumUse, testIgnore: /\.electron\.spec\.ts$/ },
    // The same specs in the desktop window; skipped, with the reason, where Electron is absent.
    { name: 'electron', use: chromiumUse, testIgnore: /\.web\.spec\.ts$/ },
  ],
});
