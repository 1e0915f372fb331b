import type { EngineEvent, EventBatch } from '@shared/contract';

/** A page with this much unsent on its socket has fallen behind. */
export const laggingBytes = 32 * 1024 * 1024;

/**
 * Thins a batch for a page that has fallen behind (a frozen tab, a slow link): its
 * record previews are held back and counted, state updates still go. The engine
 * keeps every record, so nothing is lost from the log, only from that page's list;
 * the page is told how many it missed. Without this the host's memory would grow
 * without bound behind one stuck page.
 */
export class LaggingPageFilter {
  private withheld = 0;

  constructor(private readonly limitBytes: number = laggingBytes) {}

  filter(batch: EventBatch, bufferedBytes: number, atUs: number): EventBatch {
    if (bufferedBytes < this.limitBytes) {
      if (this.withheld === 0) return batch;
      const notice: EngineEvent = {
        type: 'notice',
        level: 'warning',
        message: `This page fell behind and ${this.withheld} records were not sent to it; the engine still has them (export the log to see every record).`,
        code: 'NOTICE_PAGE_BEHIND',
        params: { count: this.withheld },
        atUs,
        skippedRecords: this.withheld,
      };
      this.withheld = 0;
      return { seq: batch.seq, events: [notice, ...batch.events] };
    }
    const events: EngineEvent[] = [];
    for (const event of batch.events) {
      if (event.type === 'log.records') this.withheld += event.records.length;
      else events.push(event);
    }
    return { seq: batch.seq, events };
  }
}
