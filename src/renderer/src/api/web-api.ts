import { maxWebFrameBytes } from '@shared/api';
import type { SockscopeApi } from '@shared/api';
import { decodeServerFrame } from '@shared/events-frame';
import type { CommandInput, CommandName, EventBatch } from '@shared/contract';
import type { CallEnvelope } from '@shared/errors';
import { ErrorCode, SockscopeError } from '@shared/errors';
import { unwrap } from './envelope';

interface PendingCall {
  resolve: (envelope: CallEnvelope) => void;
}

const tokenKey = 'sockscope.token';

/**
 * The run's token, taken out of the address bar once read (so it is not left on screen,
 * in screenshots or in the history) and kept for this tab only, so a reload still works.
 */
export function takeToken(location: Location, history: History, storage: Storage | null): string {
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl === null) {
    try {
      return storage?.getItem(tokenKey) ?? '';
    } catch {
      return '';
    }
  }
  try {
    storage?.setItem(tokenKey, fromUrl);
  } catch {
    // Storage may be disabled; the token still works for this load.
  }
  url.searchParams.delete('token');
  history.replaceState(history.state, '', url.pathname + url.search + url.hash);
  return fromUrl;
}

function tabStorage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

/**
 * The contract over the browser-mode WebSocket. Calls made before the socket
 * opens wait for it; if it closes, pending and later calls fail in words.
 */
export function createWebApi(
  location: Location,
  history: History = window.history,
  storage: Storage | null = tabStorage(),
): SockscopeApi {
  const token = takeToken(location, history, storage);
  const socketUrl = `ws://${location.host}/ws?token=${encodeURIComponent(token)}`;
  const socket = new WebSocket(socketUrl);
  const pending = new Map<number, PendingCall>();
  const listeners = new Set<(batch: EventBatch) => void>();
  let nextId = 1;
  let closedReason: string | null = null;
  let closedCode: ErrorCode = ErrorCode.disconnected;
  // What the catalogue words the closed socket by.
  let closedDetails: Record<string, string> = {};
  // Settles once: when the socket opens, or when it closes without ever opening.
  const ready = new Promise<void>((resolve) => {
    socket.addEventListener('open', () => resolve());
    socket.addEventListener('close', () => resolve());
  });

  // Event batches come as binary frames (see events-frame.ts), replies as JSON text.
  socket.binaryType = 'arraybuffer';
  socket.addEventListener('message', (message: MessageEvent<string | ArrayBuffer>) => {
    const frame = decodeServerFrame(message.data);
    if (frame.kind === 'events') {
      for (const listener of listeners) listener(frame.batch);
    } else {
      pending.get(frame.id)?.resolve(frame.envelope);
      pending.delete(frame.id);
    }
  });
  socket.addEventListener('close', (event: CloseEvent) => {
    // 1013 "try again later": the host already serves as many pages as it allows.
    if (event.code === 1013) closedCode = ErrorCode.tooManyPages;
    closedDetails =
      token === ''
        ? { reason: 'noToken' }
        : event.reason !== ''
          ? { reason: 'host', words: event.reason }
          : { reason: 'closed' };
    // The host says why in words when it refuses (too many pages, a frame too large).
    closedReason =
      token === ''
        ? 'The page was opened without its token; open the URL that start:web printed'
        : event.reason !== ''
          ? event.reason
          : 'The connection to the sockscope engine closed';
    for (const call of pending.values())
      call.resolve({
        ok: false,
        error: { code: closedCode, message: closedReason, details: closedDetails },
      });
    pending.clear();
  });

  return {
    transport: 'web',
    call: async <K extends CommandName>(command: K, args: CommandInput<K>) => {
      await ready;
      if (closedReason !== null) throw new SockscopeError(closedCode, closedReason, closedDetails);
      const id = nextId++;
      const frame = JSON.stringify({ id, command, args });
      // Refused here, in words, rather than by the host closing the socket.
      const frameBytes = new TextEncoder().encode(frame).byteLength;
      if (frameBytes > maxWebFrameBytes)
        throw new SockscopeError(
          ErrorCode.frameTooLarge,
          `This call is ${(frameBytes / 1048576).toFixed(1)} MiB; browser mode carries at most ${(maxWebFrameBytes / 1048576).toFixed(1)} MiB in one call (send large data as a file)`,
          {
            sizeMiB: (frameBytes / 1048576).toFixed(1),
            limitMiB: (maxWebFrameBytes / 1048576).toFixed(1),
          },
        );
      const envelope = await new Promise<CallEnvelope>((resolve) => {
        pending.set(id, { resolve });
        socket.send(frame);
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
