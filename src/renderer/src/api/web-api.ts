import type { SockscopeApi, WebServerFrame } from '@shared/api';
import type { CommandInput, CommandName, EventBatch } from '@shared/contract';
import type { CallEnvelope } from '@shared/errors';
import { SockscopeError } from '@shared/errors';
import { unwrap } from './envelope';

interface PendingCall {
  resolve: (envelope: CallEnvelope) => void;
}

/**
 * The contract over the browser-mode WebSocket. Calls made before the socket
 * opens wait for it; if it closes, pending and later calls fail in words.
 */
export function createWebApi(location: Location): SockscopeApi {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const socketUrl = `ws://${location.host}/ws?token=${encodeURIComponent(token)}`;
  const socket = new WebSocket(socketUrl);
  const pending = new Map<number, PendingCall>();
  const listeners = new Set<(batch: EventBatch) => void>();
  let nextId = 1;
  let closedReason: string | null = null;
  // The catalogue words ERR_DISCONNECTED by this reason.
  const details = { reason: token === '' ? 'noToken' : 'closed' };
  // Settles once: when the socket opens, or when it closes without ever opening.
  const ready = new Promise<void>((resolve) => {
    socket.addEventListener('open', () => resolve());
    socket.addEventListener('close', () => resolve());
  });

  socket.addEventListener('message', (message: MessageEvent<string>) => {
    const frame = JSON.parse(message.data) as WebServerFrame;
    if (frame.kind === 'events') {
      for (const listener of listeners) listener(frame.batch);
    } else {
      pending.get(frame.id)?.resolve(frame.envelope);
      pending.delete(frame.id);
    }
  });
  socket.addEventListener('close', () => {
    closedReason =
      token === ''
        ? 'The page was opened without its token; open the URL that start:web printed'
        : 'The connection to the sockscope engine closed';
    for (const call of pending.values())
      call.resolve({
        ok: false,
        error: { code: 'ERR_DISCONNECTED', message: closedReason, details },
      });
    pending.clear();
  });

  return {
    transport: 'web',
    call: async <K extends CommandName>(command: K, args: CommandInput<K>) => {
      await ready;
      if (closedReason !== null)
        throw new SockscopeError('ERR_DISCONNECTED', closedReason, details);
      const id = nextId++;
      const envelope = await new Promise<CallEnvelope>((resolve) => {
        pending.set(id, { resolve });
        socket.send(JSON.stringify({ id, command, args }));
      });
      return unwrap<K>(envelope);
    },
    onEvents: (listener) => {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  } satisfies SockscopeApi;
}
