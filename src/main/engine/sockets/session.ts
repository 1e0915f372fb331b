import type { Charset } from '@shared/contract/payload';
import type { SendDestination, SessionInfo, SessionKind } from '@shared/contract/sessions';
import type { SockscopeError } from '@shared/errors';
import type { RepeatTimer } from './repeat-timer';

/**
 * What every session kind is to the engine: TCP clients today; TCP servers, their
 * peers and UDP sockets implement the same interface.
 */
export interface Session {
  readonly id: string;
  readonly kind: SessionKind;
  /** The charset its text was last sent in; its log records are read in it. */
  charset: Charset | null;
  info(): SessionInfo;
  /**
   * Writes bytes (to `destination` where the kind has more than one peer);
   * resolves with the count the kernel took, rejects with a coded error.
   */
  send(bytes: Uint8Array, destination?: SendDestination): Promise<number>;
  /** The coded error a send (to `destination`) would be refused with now, or null. */
  sendProblem(destination?: SendDestination): SockscopeError | null;
  readonly repeat: RepeatTimer;
  /** Closes the socket; resolves once it is closed. Safe to call twice. */
  close(): Promise<void>;
  /** Refreshes rate figures; true when anything shown has changed. */
  tick(): boolean;
  /** Zeroes the byte and packet counters and the rates. */
  resetCounters(): void;
}
