import type { RepeatState } from '@shared/contract/sessions';
import { ErrorCode, SockscopeError } from '@shared/errors';

export interface RepeatOwner {
  /** Why the owner cannot send now, or null when it can. */
  cannotSend(): string | null;
  /** True while sends must wait (the peer is not reading): the repeat skips its turn. */
  mustWait(): boolean;
  /** Something shown about the repeat changed (a send counted, it stopped). */
  changed(): void;
  /**
   * The repeat stopped before its count for this reason, after `sent` sends; `code`
   * is the error code the renderer words the reason by.
   */
  stoppedEarly(sent: number, reason: string, code: string): void;
}

interface Job {
  timer: NodeJS.Timeout;
  sent: number;
  total: number;
  intervalMs: number;
  waiting: boolean;
}

/**
 * Sends the same bytes every N ms, M times or until stopped, for any session
 * kind. It checks before each send that the owner still can, and stops on the
 * first failed send, saying why. While the owner's sends must wait (its write
 * queue is backlogged) it skips its turns and says it is waiting.
 */
export class RepeatTimer {
  private job: Job | null = null;

  constructor(private readonly owner: RepeatOwner) {}

  /** Starts (or restarts) the repeat; `count` 0 means until stopped. */
  start(send: () => Promise<unknown>, intervalMs: number, count: number): void {
    this.stop();
    const job: Job = {
      sent: 0,
      total: count,
      intervalMs,
      waiting: false,
      timer: setInterval(() => {
        if (this.job !== job) return;
        const why = this.owner.cannotSend();
        if (why !== null) {
          this.stop(why, ErrorCode.sessionNotConnected);
          return;
        }
        const waiting = this.owner.mustWait();
        if (waiting !== job.waiting) {
          job.waiting = waiting;
          this.owner.changed();
        }
        if (waiting) return;
        job.sent += 1;
        send().catch((error: unknown) =>
          this.stop(
            error instanceof Error ? error.message : String(error),
            error instanceof SockscopeError ? error.code : ErrorCode.socketFailed,
          ),
        );
        if (job.total !== 0 && job.sent >= job.total) this.stop();
        else this.owner.changed();
      }, intervalMs),
    };
    this.job = job;
    this.owner.changed();
  }

  /** Stops the repeat; with a reason, the owner is told it stopped early. */
  stop(reason?: string, code: string = ErrorCode.socketFailed): void {
    const job = this.job;
    if (job === null) return;
    clearInterval(job.timer);
    this.job = null;
    if (reason !== undefined) this.owner.stoppedEarly(job.sent, reason, code);
    this.owner.changed();
  }

  state(): RepeatState | null {
    const job = this.job;
    return job === null
      ? null
      : { sent: job.sent, total: job.total, intervalMs: job.intervalMs, waiting: job.waiting };
  }
}
