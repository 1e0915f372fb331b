import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { ipcChannel } from '@shared/api';
import type { CallEnvelope } from '@shared/errors';
import { ErrorCode } from '@shared/errors';
import type { Engine } from './engine';
import { dispatch } from './router';

interface SenderFrame {
  url: string;
  processId: number;
  routingId: number;
}

/**
 * A call is trusted only from the app window's own top frame, still showing the
 * app's own page: not a subframe, not another window, not a page it navigated to.
 */
export function isTrustedSender(
  event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>,
  appContents: WebContents,
  appUrl: string,
): boolean {
  const frame = event.senderFrame as SenderFrame | null;
  if (frame === null || event.sender !== appContents) return false;
  // Frames are compared by identity (process and routing id), not by wrapper object.
  const main = appContents.mainFrame as unknown as SenderFrame;
  if (frame.processId !== main.processId || frame.routingId !== main.routingId) return false;
  return frame.url.split(/[?#]/)[0] === appUrl.split(/[?#]/)[0];
}

/** Routes calls from the window to the engine and the engine's event batches to the window. */
export function registerIpc(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  engine: Engine,
  appContents: WebContents,
  appUrl: string,
): () => void {
  ipcMain.handle(
    ipcChannel.call,
    async (event, command: unknown, args: unknown): Promise<CallEnvelope> => {
      if (!isTrustedSender(event, appContents, appUrl)) {
        return {
          ok: false,
          error: {
            code: ErrorCode.forbiddenSender,
            message: 'Refused a call from a frame that is not the sockscope window',
          },
        };
      }
      return dispatch(engine, command, args);
    },
  );
  const unsubscribe = engine.events.subscribe((batch) => {
    if (!appContents.isDestroyed()) appContents.send(ipcChannel.events, batch);
  });
  return () => {
    unsubscribe();
    ipcMain.removeHandler(ipcChannel.call);
  };
}
