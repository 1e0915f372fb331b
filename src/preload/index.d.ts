import type { SockscopeBridge } from '../shared/api';

declare global {
  interface Window {
    /** Present only inside the Electron window (see src/preload/index.ts). */
    sockscope?: SockscopeBridge;
  }
}
