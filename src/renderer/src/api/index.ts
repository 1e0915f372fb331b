import type { SockscopeApi } from '@shared/api';
import { createElectronApi } from './electron-api';
import { createWebApi } from './web-api';

/** The renderer's one api: Electron IPC inside the app window, the WebSocket in a browser. */
export const api: SockscopeApi =
  window.sockscope !== undefined
    ? createElectronApi(window.sockscope)
    : createWebApi(window.location);
