export { electronBinary } from '../scripts/electron-runtime.mjs';

export const electronMissingReason =
  'the Electron binary is absent on this machine (installed with ELECTRON_SKIP_BINARY_DOWNLOAD); the web project runs the same specs in Chromium';
