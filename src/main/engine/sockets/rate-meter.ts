import { performance } from 'node:perf_hooks';

/** Counts bytes and packets both ways and turns them into rates over about a second. */
export class RateMeter {
  bytesIn = 0;
  bytesOut = 0;
  packetsIn = 0;
  packetsOut = 0;
  private rateInBps = 0;
  private rateOutBps = 0;
  private lastTickMs = performance.now();
  private lastBytesIn = 0;
  private lastBytesOut = 0;
  private shownVersion = -1;
  private version = 0;

  countIn(bytes: number): void {
    this.bytesIn += bytes;
    this.packetsIn += 1;
    this.version += 1;
  }

  countOut(bytes: number): void {
    this.bytesOut += bytes;
    this.packetsOut += 1;
    this.version += 1;
  }

  reset(): void {
    this.bytesIn = this.bytesOut = this.packetsIn = this.packetsOut = 0;
    this.rateInBps = this.rateOutBps = 0;
    this.lastBytesIn = this.lastBytesOut = 0;
    this.lastTickMs = performance.now();
    this.version += 1;
  }

  /** The traffic has ended (the socket closed): rates are zero now, not after they decay. */
  settle(): void {
    this.rateInBps = this.rateOutBps = 0;
    this.lastBytesIn = this.bytesIn;
    this.lastBytesOut = this.bytesOut;
    this.lastTickMs = performance.now();
    this.version += 1;
  }

  /** Recomputes rates; true when counters or rates changed since the last tick. */
  tick(): boolean {
    const now = performance.now();
    const seconds = (now - this.lastTickMs) / 1000;
    if (seconds <= 0) return false;
    const rateIn = (this.bytesIn - this.lastBytesIn) / seconds;
    const rateOut = (this.bytesOut - this.lastBytesOut) / seconds;
    // Smooth a little so the figure does not flicker between ticks.
    const nextIn = Math.round(this.rateInBps * 0.3 + rateIn * 0.7);
    const nextOut = Math.round(this.rateOutBps * 0.3 + rateOut * 0.7);
    const settleIn = nextIn < 1 ? 0 : nextIn;
    const settleOut = nextOut < 1 ? 0 : nextOut;
    const changed =
      settleIn !== this.rateInBps ||
      settleOut !== this.rateOutBps ||
      this.version !== this.shownVersion;
    this.rateInBps = settleIn;
    this.rateOutBps = settleOut;
    this.lastBytesIn = this.bytesIn;
    this.lastBytesOut = this.bytesOut;
    this.lastTickMs = now;
    this.shownVersion = this.version;
    return changed;
  }

  snapshot() {
    return {
      bytesIn: this.bytesIn,
      bytesOut: this.bytesOut,
      packetsIn: this.packetsIn,
      packetsOut: this.packetsOut,
      rateInBps: this.rateInBps,
      rateOutBps: this.rateOutBps,
    };
  }
}
