import { describe, expect, it } from 'vitest';
import type { EventBatch } from '@shared/contract';
import { EventBus } from '../../../src/main/engine/event-bus';

const notice = (message: string) => ({ type: 'notice', level: 'info', message, atUs: 0 }) as const;

describe('EventBus', () => {
  it('coalesces a burst into one batch per flush', async () => {
    const bus = new EventBus({ flushIntervalMs: 20 });
    const batches: EventBatch[] = [];
    bus.subscribe((batch) => batches.push(batch));
    for (let i = 0; i < 500; i++) bus.emit(notice(`n${i}`));
    expect(batches).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(batches).toHaveLength(1);
    expect(batches[0]!.events).toHaveLength(500);
    expect(batches[0]!.seq).toBe(1);
    bus.close();
  });

  it('flushes at once when a batch is large, numbering batches in order', () => {
    const bus = new EventBus({ flushIntervalMs: 10_000, maxBatchEvents: 100 });
    const batches: EventBatch[] = [];
    bus.subscribe((batch) => batches.push(batch));
    for (let i = 0; i < 250; i++) bus.emit(notice(`n${i}`));
    expect(batches.map((batch) => batch.events.length)).toEqual([100, 100]);
    expect(batches.map((batch) => batch.seq)).toEqual([1, 2]);
    bus.close();
    expect(batches.map((batch) => batch.events.length)).toEqual([100, 100, 50]);
  });

  it('keeps delivering when one listener throws, and stops after unsubscribe', () => {
    const bus = new EventBus({ flushIntervalMs: 10_000 });
    const seen: number[] = [];
    bus.subscribe(() => {
      throw new Error('broken window');
    });
    const unsubscribe = bus.subscribe((batch) => seen.push(batch.seq));
    bus.emit(notice('a'));
    bus.flush();
    unsubscribe();
    bus.emit(notice('b'));
    bus.flush();
    expect(seen).toEqual([1]);
    bus.close();
  });
});
