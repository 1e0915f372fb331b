import type { Charset } from '@shared/contract/payload';
import type { HeartbeatSettings } from '@shared/contract/heartbeat';
import type { SocketAddress } from '@shared/contract/log';
import type { ReplyRule } from '@shared/contract/rules';
import type { PayloadTemplate } from '@shared/codecs/template';
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
  /**
   * Bytes it received, once they are in the log (from `peer` where the kind has
   * many): where its heartbeat and reply rules listen. Kinds with neither leave it out.
   */
  inbound?(bytes: Uint8Array, peer: SocketAddress | null): void;
}

/**
 * A session that heartbeats and reply rules attach to (TCP clients now; UDP sockets
 * and TCP servers implement it to take them too). The engine dispatches on this,
 * not on the class, so each kind decides what a beat's peer and a reply's target are.
 */
export interface Automatable {
  /** Attaches a heartbeat (null removes it); `expand` fills each beat's macros. */
  setHeartbeat(
    settings: HeartbeatSettings | null,
    expand: (template: PayloadTemplate, seq: number) => Uint8Array,
  ): void;
  /** Replaces the reply rules (an empty list removes them). */
  setRules(
    mode: 'first' | 'all',
    rules: readonly ReplyRule[],
    expand: (template: PayloadTemplate) => Uint8Array,
  ): void;
}

export function isAutomatable(session: Session): session is Session & Automatable {
  const candidate = session as Partial<Automatable>;
  return typeof candidate.setHeartbeat === 'function' && typeof candidate.setRules === 'function';
}
