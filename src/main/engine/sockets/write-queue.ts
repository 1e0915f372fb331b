import type { SendDestination } from '@shared/contract/sessions';
import { ErrorCode, SockscopeError } from '@shared/errors';
import type { Session } from './session';

/** The most bytes one session may have waiting for the kernel to take them. */
export const writeQueueLimitBytes = 16 * 1024 * 1024;

/**
 * Bytes handed to a socket that the kernel has not yet taken, for any session
 * kind that writes to a stream or datagram socket. A send past the limit is
 * refused with words (never buffered without end); a repeat waits while the
 * queue is over half full, so a peer that does not read cannot grow the engine.
 */
export class WriteQueue {
  private queued = 0;
  private wasBacklogged = false;

  constructor(
    /** Told when the queue crosses half full either way (for the UI and the log). */
    private readonly backlogChanged: (backlogged: boolean) => void,
    readonly limitBytes: number = writeQueueLimitBytes,
  ) {}

  get queuedBytes(): number {
    return this.queued;
  }

  /** Over half full: a repeat waits until the peer has read some. */
  get backlogged(): boolean {
    return this.queued * 2 > this.limitBytes;
  }

  /**
   * The coded error a write of `byteLength` more bytes would be refused with, or null.
   * A write larger than the limit alone is taken when nothing waits, so one large
   * send still goes out.
   */
  problem(byteLength: number, label: string, sessionId: string): SockscopeError | null {
    if (this.queued === 0 || this.queued + byteLength <= this.limitBytes) return null;
    return new SockscopeError(
      ErrorCode.sendQueueFull,
      `Cannot send ${byteLength} bytes on ${label}: ${this.queued} bytes already wait for the ` +
        `peer to read (the limit is ${this.limitBytes} bytes); send again once it has read some`,
      { sessionId, queuedBytes: this.queued, limitBytes: this.limitBytes, bytes: byteLength },
    );
  }

  /** Counts bytes handed to the socket; `taken` counts them off once it has them (or failed). */
  add(byteLength: number): void {
    this.queued += byteLength;
    this.announce();
  }

  taken(byteLength: number): void {
    this.queued = Math.max(0, this.queued - byteLength);
    this.announce();
  }

  /** The socket is gone (or replaced): nothing waits any more, and no one is told. */
  clear(): void {
    this.queued = 0;
    this.wasBacklogged = false;
  }

  private announce(): void {
    const now = this.backlogged;
    if (now === this.wasBacklogged) return;
    this.wasBacklogged = now;
    this.backlogChanged(now);
  }
}

/** How often a send that waits for room looks at the queue again. */
const roomCheckMs = 10;

/**
 * Resolves once a send of `byteLength` bytes would fit in the session's write
 * queue (the peer has read enough), so a file's pieces pause instead of being
 * refused; rejects with the session's own words once it cannot send at all
 * (closed, removed, the peer gone). Works from what every kind reports in its
 * info: a server's queued bytes are the sum over its clients, so room there is
 * room at each client and no client is sent a piece the others were refused.
 * `cancel` calls the wait off: it rejects with ERR_SEND_CANCELLED, nothing sent.
 */
export async function roomInWriteQueue(
  session: Session,
  byteLength: number,
  destination?: SendDestination,
  cancel?: AbortSignal,
): Promise<void> {
  for (;;) {
    if (cancel?.aborted === true)
      throw new SockscopeError(
        ErrorCode.sendCancelled,
        `Send of ${byteLength} bytes on ${session.id} cancelled while it waited for the peer to read`,
        { sessionId: session.id, bytes: byteLength },
      );
    const problem = session.sendProblem(destination);
    if (problem !== null) throw problem;
    const { queuedBytes, limitBytes } = session.info().writeQueue;
    if (queuedBytes === 0 || queuedBytes + byteLength <= limitBytes) return;
    await new Promise((resolve) => setTimeout(resolve, roomCheckMs));
  }
}
