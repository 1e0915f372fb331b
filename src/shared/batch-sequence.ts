/**
 * Watches the numbers of event batches. The engine numbers every flush, so a
 * batch whose number does not follow the previous one means batches were lost
 * on the way, and what the page holds may be stale.
 */
export class BatchSequence {
  private last: number | null = null;

  /** Takes the next batch's number; true when batches were missed before it. */
  gapBefore(seq: number): boolean {
    const gap = this.last !== null && seq !== this.last + 1;
    this.last = seq;
    return gap;
  }
}
