import type { SocketAddress } from '@shared/contract/log';
import type { RecordingSession } from '../sockets/session-sink';
import type { StoredRecord } from './stored-record';

/**
 * Listens to inbound packets once they are in the log: where reply rules and
 * heartbeat watchdogs hook in. `record.bytes` is the log's own copy, not copied
 * again for the tap; it is valid during the call (the log recycles its memory),
 * so a tap that keeps bytes copies them.
 */
export type InboundTap = (
  session: RecordingSession,
  record: StoredRecord,
  peer: SocketAddress | null,
) => void;

/** Inbound taps, called in the order they were added. */
export class InboundTaps {
  private taps: InboundTap[] = [];
  /** Taps whose failure was already reported: said once, not once per packet. */
  private readonly reported = new WeakSet<InboundTap>();

  /** Adds a tap after those already there; returns the function that removes it. */
  add(tap: InboundTap): () => void {
    this.taps = [...this.taps, tap];
    return () => {
      this.taps = this.taps.filter((each) => each !== tap);
    };
  }

  get size(): number {
    return this.taps.length;
  }

  /** Calls every tap in order; a tap that throws does not stop the others, and is reported once. */
  call(
    session: RecordingSession,
    record: StoredRecord,
    peer: SocketAddress | null,
    onError: (error: unknown) => void,
  ): void {
    for (const tap of this.taps) {
      try {
        tap(session, record, peer);
      } catch (error) {
        if (!this.reported.has(tap)) {
          this.reported.add(tap);
          onError(error);
        }
      }
    }
  }
}
