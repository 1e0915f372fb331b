import { electronBinary, electronMissingReason } from './electron-runtime';

/** Says once, up front, why the electron project's tests will show as skipped. */
export default function globalSetup(): void {
  if (electronBinary() === null)
    console.log(`[electron] project skipped: ${electronMissingReason}`);
}
