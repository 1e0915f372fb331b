import { performance } from 'node:perf_hooks';
import type { HeartbeatSettings, HeartbeatState } from '@shared/contract/heartbeat';
import type { PayloadTemplate } from '@shared/codecs/template';
import type { InboundMatcher } from '../rules/match';
import { compileMatcher } from '../rules/match';
import { compile } from './payload-macros';

/** What a heartbeat needs of the session it watches. */
export interface HeartbeatHost {
  /** True while a beat can go out (connected, or marked dead but still open). */
  canBeat(): boolean;
  /** Sends one beat's bytes (expanded by the caller's macros with this beat's number). */
  sendBeat(template: PayloadTemplate, seq: number): Promise<unknown>;
  /** performance.now() of the last packet sent and received. */
  readonly lastSentMs: number;
  readonly lastReceivedMs: number;
  peerDead(missed: number): void;
  peerAlive(): void;
  changed(): void;
}

interface PendingBeat {
  sentMs: number;
  timer: NodeJS.Timeout;
  timedOut: boolean;
}

const historyLength = 60;
/** Beats waiting for a reply beyond this are forgotten (still counted lost). */
const maxPending = 1000;

/**
 * Sends a beat every interval (or when the link has been quiet that long),
 * matches replies to beats in order, and says when the peer has missed enough
 * in a row to be dead. Its timer keeps to the schedule (start + k × interval),
 * so late callbacks do not add up into drift.
 */
export class Heartbeat {
  private readonly template: PayloadTemplate;
  private readonly expect: InboundMatcher | null;
  private readonly timeoutMs: number;
  private timer: NodeJS.Timeout | null = null;
  private startMs = 0;
  private ticks = 0;
  private pending: PendingBeat[] = [];
  private seq = 0;
  private sent = 0;
  private replies = 0;
  private late = 0;
  private lost = 0;
  private missedInRow = 0;
  private dead = false;
  private rttCount = 0;
  private rttSum = 0;
  private rttSquares = 0;
  private rttMin = Infinity;
  private rttMax = 0;
  private rttLast = 0;
  private readonly history: number[] = [];
  /** How late each timer callback ran, for the benchmark (the latest few thousand). */
  readonly drifts: number[] = [];
  reconnect: { attempt: number; delayMs: number } | null = null;
  gaveUp = false;

  constructor(
    readonly settings: HeartbeatSettings,
    private readonly host: HeartbeatHost,
  ) {
    this.template = compile(settings.payload);
    this.expect = settings.expect === null ? null : compileMatcher(settings.expect);
    this.timeoutMs = settings.replyTimeoutMs ?? settings.intervalMs;
  }

  get running(): boolean {
    return this.timer !== null;
  }

  /** Starts beating (on connect); the first beat goes out one interval from now. */
  start(): void {
    this.pause();
    this.dead = false;
    this.missedInRow = 0;
    this.startMs = performance.now();
    this.ticks = 0;
    this.schedule();
  }

  /** Stops the timer and forgets beats in flight (the connection they went on is gone). */
  pause(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    for (const beat of this.pending) clearTimeout(beat.timer);
    this.pending = [];
  }

  /** An inbound packet, from the session's tap after the recorder. */
  inbound(bytes: Uint8Array): void {
    if (this.expect !== null && this.expect(bytes) === null) return;
    const beat = this.pending.shift();
    if (beat === undefined) {
      // Any sign of life revives a peer marked dead, even with no beat waiting.
      if (this.expect === null && this.dead) this.revive();
      return;
    }
    clearTimeout(beat.timer);
    const rtt = performance.now() - beat.sentMs;
    this.replies += 1;
    if (beat.timedOut) {
      this.late += 1;
      this.lost -= 1;
    }
    this.missedInRow = 0;
    this.recordRtt(rtt);
    if (this.dead) this.revive();
    this.host.changed();
  }

  state(): HeartbeatState {
    return {
      ...settingsInForce(this.settings),
      sent: this.sent,
      replies: this.replies,
      late: this.late,
      lost: this.lost,
      missedInRow: this.missedInRow,
      lossPct: this.sent === 0 ? 0 : round((this.lost / this.sent) * 100),
      rtt:
        this.rttCount === 0
          ? null
          : {
              lastMs: round(this.rttLast),
              minMs: round(this.rttMin),
              avgMs: round(this.rttSum / this.rttCount),
              maxMs: round(this.rttMax),
              mdevMs: round(
                Math.sqrt(
                  Math.max(0, this.rttSquares / this.rttCount - (this.rttSum / this.rttCount) ** 2),
                ),
              ),
            },
      history: [...this.history],
      dead: this.dead,
      reconnect: this.reconnect,
      gaveUp: this.gaveUp,
    };
  }

  /** The counts a summary over many heartbeats needs, without copying the history. */
  summary(): { sent: number; replies: number; dead: boolean } {
    return { sent: this.sent, replies: this.replies, dead: this.dead };
  }

  private schedule(): void {
    this.ticks += 1;
    const due = this.startMs + this.ticks * this.settings.intervalMs;
    const now = performance.now();
    // Far behind (a blocked loop): skip the missed slots rather than firing in a burst.
    if (due < now - this.settings.intervalMs) {
      this.ticks = Math.ceil((now - this.startMs) / this.settings.intervalMs);
    }
    const at = this.startMs + this.ticks * this.settings.intervalMs;
    this.timer = setTimeout(() => this.tick(at), Math.max(0, at - now));
  }

  private tick(dueMs: number): void {
    const now = performance.now();
    if (this.drifts.length >= 4096) this.drifts.splice(0, 2048);
    this.drifts.push(now - dueMs);
    this.schedule();
    if (!this.host.canBeat() || this.quietEnoughToSkip(now)) return;
    this.beat(now);
  }

  /** In quiet mode, traffic within the last interval makes a beat unnecessary. */
  private quietEnoughToSkip(now: number): boolean {
    if (this.settings.when !== 'quiet') return false;
    const { quietOn, intervalMs } = this.settings;
    const last =
      quietOn === 'sent'
        ? this.host.lastSentMs
        : quietOn === 'received'
          ? this.host.lastReceivedMs
          : Math.max(this.host.lastSentMs, this.host.lastReceivedMs);
    // A little slack: a packet right at the previous tick still counts as traffic.
    return now - last < intervalMs - 1;
  }

  private beat(now: number): void {
    const beat: PendingBeat = {
      sentMs: now,
      timedOut: false,
      timer: setTimeout(() => this.timedOut(beat), this.timeoutMs),
    };
    this.pending.push(beat);
    if (this.pending.length > maxPending) clearTimeout(this.pending.shift()!.timer);
    this.sent += 1;
    this.seq += 1;
    this.host.sendBeat(this.template, this.seq).catch(() => {
      // The session logs why a send failed; the beat simply goes unanswered.
    });
    this.host.changed();
  }

  private timedOut(beat: PendingBeat): void {
    beat.timedOut = true;
    this.lost += 1;
    this.missedInRow += 1;
    if (!this.dead && this.missedInRow >= this.settings.missedBeforeDead) {
      this.dead = true;
      this.host.peerDead(this.missedInRow);
    }
    this.host.changed();
  }

  private revive(): void {
    this.dead = false;
    this.host.peerAlive();
  }

  private recordRtt(rtt: number): void {
    this.rttCount += 1;
    this.rttSum += rtt;
    this.rttSquares += rtt * rtt;
    this.rttMin = Math.min(this.rttMin, rtt);
    this.rttMax = Math.max(this.rttMax, rtt);
    this.rttLast = rtt;
    this.history.push(round(rtt));
    if (this.history.length > historyLength) this.history.shift();
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** What a heartbeat's state says of its settings (a server's summary says the same). */
export function settingsInForce(settings: HeartbeatSettings) {
  return {
    intervalMs: settings.intervalMs,
    when: settings.when,
    expecting: settings.expect !== null,
    missedBeforeDead: settings.missedBeforeDead,
    onDead: settings.onDead,
  };
}

/** The wait before reconnect attempt `attempt` (from 1): first × factor^(attempt-1), capped. */
export function backoffDelay(backoff: HeartbeatSettings['backoff'], attempt: number): number {
  return Math.round(
    Math.min(backoff.maxDelayMs, backoff.firstDelayMs * backoff.factor ** (attempt - 1)),
  );
}
