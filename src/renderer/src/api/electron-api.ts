import type { SockscopeApi, SockscopeBridge } from '@shared/api';
import type { CommandInput, CommandName } from '@shared/contract';
import { unwrap } from './envelope';

/** The contract over Electron IPC, through the preload's one bridge object. */
export function createElectronApi(bridge: SockscopeBridge): SockscopeApi {
  return {
    transport: 'electron',
    call: async <K extends CommandName>(command: K, args: CommandInput<K>) =>
      unwrap<K>(await bridge.call(command, args)),
    onEvents: (listener) => bridge.onEvents(listener),
  } satisfies SockscopeApi;
}
