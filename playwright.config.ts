import { existsSync } from 'node:fs';
import { chromium, defineConfig } from '@playwright/test';

/** Playwright's own Chromium where it was installed, else Debian's. */
function chromiumPath(): string | undefined {
  try {
    if (existsSync(chromium.executablePath())) return undefined;
  } catch {
    // Not installed: fall through to Debian's.
  }
  return '/usr/bin/chromium';
}

const chromiumUse = {
  browserName: 'chromium' as const,
  launchOptions: {
    executablePath: chromiumPath(),
    // Headless and quiet: these machines have no internet for Chromium to reach.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  },
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
    { name: 'web', use: chromiumUse },
    // The same specs in the desktop window; skipped, with the reason, where Electron is absent.
    { name: 'electron', use: chromiumUse },
  ],
});
