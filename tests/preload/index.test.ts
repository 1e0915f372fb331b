import { describe, expect, it, vi } from 'vitest';
import { ipcChannel } from '@shared/api';
import type { SockscopeBridge } from '@shared/api';

const exposed: [string, unknown][] = [];
const listeners = new Map<string, (...args: unknown[]) => void>();
const invoke = vi.fn(async () => ({ ok: true, result: 1 }));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => exposed.push([key, value]) },
  ipcRenderer: {
    invoke,
    on: (channel: string, listener: (...args: unknown[]) => void) =>
      listeners.set(channel, listener),
    removeListener: (channel: string) => listeners.delete(channel),
  },
}));

await import('../../src/preload/index');

describe('preload', () => {
  it('exposes exactly one object with call and onEvents', () => {
    expect(exposed).toHaveLength(1);
    expect(exposed[0]![0]).toBe('sockscope');
    expect(Object.keys(exposed[0]![1] as object).sort()).toEqual(['call', 'onEvents']);
  });

  it('sends calls on the one call channel', async () => {
    const bridge = exposed[0]![1] as SockscopeBridge;
    await bridge.call('app.info', {});
    expect(invoke).toHaveBeenCalledWith(ipcChannel.call, 'app.info', {});
  });

  it('hands listeners the batch only, never Electron event object', () => {
    const bridge = exposed[0]![1] as SockscopeBridge;
    const received: unknown[][] = [];
    const unsubscribe = bridge.onEvents((...args: unknown[]) => received.push(args));
    const batch = { seq: 1, events: [] };
    listeners.get(ipcChannel.events)!({ sender: 'ipc-internals' }, batch);
    expect(received).toEqual([[batch]]);
    unsubscribe();
    expect(listeners.has(ipcChannel.events)).toBe(false);
  });
});
