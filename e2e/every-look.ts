import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page, TestInfo } from '@playwright/test';

const shots = join(import.meta.dirname, '..', 'test-results', 'screenshots');

/**
 * Screenshots of the page as it is, at 900×600 and 1280×800, light and dark, in
 * English and Chinese (`<name>-<width>-<theme>-<en|zh>-<project>.png`), so a change
 * can be looked at as a user sees it. `ready` runs before each shot (to scroll the
 * part in question into view, or to check the words in that language). Leaves the
 * page in English with the system theme.
 */
export async function screenshotEveryLook(
  app: Page,
  name: string,
  testInfo: TestInfo,
  ready: (language: 'en' | 'zh') => Promise<void> = async () => {},
): Promise<void> {
  mkdirSync(shots, { recursive: true });
  for (const size of [
    { width: 900, height: 600 },
    { width: 1280, height: 800 },
  ]) {
    await app.setViewportSize(size);
    for (const theme of ['light', 'dark'] as const) {
      await app.getByLabel('Theme', { exact: true }).selectOption(theme);
      for (const language of ['en', 'zh'] as const) {
        // The language select's label is in the language shown.
        await app.getByLabel(/^(Language|语言)$/).selectOption(language === 'en' ? 'en' : 'zh-CN');
        await ready(language);
        await app.screenshot({
          path: join(
            shots,
            `${name}-${size.width}-${theme}-${language}-${testInfo.project.name}.png`,
          ),
        });
      }
      await app.getByLabel('语言', { exact: true }).selectOption('en');
    }
  }
  await app.getByLabel('Theme', { exact: true }).selectOption('system');
}
