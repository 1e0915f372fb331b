import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

/** The Electron binary's path, or null where it was never downloaded. */
export function electronBinary(): string | null {
  try {
    const path: unknown = createRequire(import.meta.url)('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

export const electronMissingReason =
  'the Electron binary is absent on this machine (installed with ELECTRON_SKIP_BINARY_DOWNLOAD); the web project runs the same specs in Chromium';
