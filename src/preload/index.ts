import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import { ipcChannel } from '@shared/api';
import type { SockscopeBridge } from '@shared/api';
import type { EventBatch } from '@shared/contract';

// Exactly one object crosses into the page; listeners never see Electron's event.
const bridge: SockscopeBridge = {
  call: (command, args) => ipcRenderer.invoke(ipcChannel.call, command, args),
  onEvents: (listener) => {
    const forward = (_event: IpcRendererEvent, batch: EventBatch): void => listener(batch);
    ipcRenderer.on(ipcChannel.events, forward);
    return () => {
      ipcRenderer.removeListener(ipcChannel.events, forward);
    };
  },
};

contextBridge.exposeInMainWorld('sockscope', bridge);
