import { describe, expect, it } from 'vitest';
import type { EventBatch, LogRecordPreview } from '@shared/contract';
import { LaggingPageFilter } from '../../../src/main/web/lagging-page';
import { previewRecord } from '../../support/log-records';

const record = (id: number): LogRecordPreview => previewRecord({ id });

const batch = (seq: number, ids: number[]): EventBatch => ({
  seq,
  events: [{ type: 'log.records', records: ids.map(record) }, { type: 'log.cleared' }],
});

describe('a page that falls behind', () => {
  it('passes batches through untouched while the page keeps up', () => {
    const filter = new LaggingPageFilter(1000);
    const original = batch(1, [1, 2]);
    expect(filter.filter(original, 0, 5)).toBe(original);
  });

  it('holds back record previews but not state, then says (and counts) how many it missed', () => {
    const filter = new LaggingPageFilter(1000);
    const thinned = filter.filter(batch(1, [1, 2, 3]), 5000, 5);
    expect(thinned.events.map((event) => event.type)).toEqual(['log.cleared']);
    filter.filter(batch(2, [4]), 5000, 6);
    const caughtUp = filter.filter(batch(3, [5]), 10, 7);
    expect(caughtUp.events[0]).toMatchObject({
      type: 'notice',
      level: 'warning',
      message: expect.stringContaining('4 records were not sent'),
      code: 'NOTICE_PAGE_BEHIND',
      params: { count: 4 },
      skippedRecords: 4,
    });
    expect(caughtUp.events[1]).toMatchObject({ type: 'log.records' });
    const next = batch(4, [6]);
    expect(filter.filter(next, 10, 8)).toBe(next);
  });
});
