import type { SockscopeApi } from '@shared/api';
import type { CommandInput, CommandName } from '@shared/contract';
import { createElectronApi } from './electron-api';
import { createWebApi } from './web-api';

let current: SockscopeApi | null = null;

/** Electron IPC inside the app window, the WebSocket in a browser; made on first use. */
function appApi(): SockscopeApi {
  current ??=
    window.sockscope !== undefined
      ? createElectronApi(window.sockscope)
      : createWebApi(window.location);
  return current;
}

/**
 * The renderer's one api. It connects on first use, so importing a state module
 * (in a unit test, say, that injects its own api) opens no transport.
 */
export const api: SockscopeApi = {
  call: <K extends CommandName>(command: K, args: CommandInput<K>) => appApi().call(command, args),
  onEvents: (listener) => appApi().onEvents(listener),
  get transport() {
    return appApi().transport;
  },
};
