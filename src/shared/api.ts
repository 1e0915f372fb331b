import type { CommandInput, CommandName, CommandResult, EventBatch } from './contract';
import { maxPayloadTextLength } from './contract';
import type { CallEnvelope } from './errors';

/** The one interface the renderer talks to, whichever transport is beneath it. */
export interface SockscopeApi {
  call<K extends CommandName>(command: K, args: CommandInput<K>): Promise<CommandResult<K>>;
  /** Subscribes to event batches; returns the function that unsubscribes. */
  onEvents(listener: (batch: EventBatch) => void): () => void;
  readonly transport: 'electron' | 'web';
}

/** What the Electron preload exposes on `window.sockscope`: envelopes, not thrown errors. */
export interface SockscopeBridge {
  call(command: string, args: unknown): Promise<CallEnvelope>;
  onEvents(listener: (batch: EventBatch) => void): () => void;
}

/** Names shared by main and preload, so neither can drift from the other. */
export const ipcChannel = {
  call: 'sockscope:call',
  events: 'sockscope:events',
} as const;

/**
 * Browser-mode WebSocket frames. A reply travels as JSON text; an event batch as a
 * binary frame (`events-frame.ts`), which `decodeServerFrame` reads into this shape.
 */
export type WebClientFrame = { id: number; command: string; args: unknown };
export type WebServerFrame =
  { kind: 'reply'; id: number; envelope: CallEnvelope } | { kind: 'events'; batch: EventBatch };

/**
 * The largest frame browser mode accepts from a page: a little above the largest
 * legitimate call, a payload of the contract's longest text (up to 3 UTF-8 bytes per
 * character) with its JSON around it. File sends travel as 64 KiB pieces, far below.
 */
export const maxWebFrameBytes = 3 * maxPayloadTextLength + 64 * 1024;

/** How many pages browser mode serves at once. */
export const maxWebPages = 5;
