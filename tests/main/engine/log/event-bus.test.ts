import { describe, expect, it } from 'vitest';
import type { EventBatch } from '@shared/contract';
import { EventBus } from '../../../../src/main/engine/log/event-bus';

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

describe('EventBus order', () => {
  const update = (id: string, state: string) =>
    ({ type: 'notice', level: 'info', message: `${id} ${state}`, atUs: 0 }) as const;

  it('keeps keyed values where they were emitted, relative to ordered events', () => {
    const bus = new EventBus({ flushIntervalMs: 10_000 });
    const batches: EventBatch[] = [];
    bus.subscribe((batch) => batches.push(batch));
    bus.emitLatest('k', update('k', 'first'));
    bus.emit(notice('between'));
    bus.emitLatest('k', update('k', 'second'));
    bus.flush();
    const messages = batches[0]!.events.map((event) =>
      event.type === 'notice' ? event.message : event.type,
    );
    expect(messages).toEqual(['between', 'k second']);
    bus.close();
  });

  it('makes an ending event the last word of its key', () => {
    const bus = new EventBus({ flushIntervalMs: 10_000 });
    const batches: EventBatch[] = [];
    bus.subscribe((batch) => batches.push(batch));
    bus.emitLatest('session:a', update('a', 'connected'));
    bus.emitLatest('session:b', update('b', 'connected'));
    bus.emit({ type: 'session.removed', sessionId: 'a' }, { ends: 'session:a' });
    bus.emitLatest('session:a', update('a', 'closed'));
    bus.flush();
    bus.emitLatest('session:a', update('a', 'late'));
    bus.flush();
    const seen = batches.flatMap((batch) =>
      batch.events.map((event) => (event.type === 'notice' ? event.message : event.type)),
    );
    expect(seen).toEqual(['b connected', 'session.removed']);
    bus.close();
  });

  it('gathers records between ordered events into one log.records each', () => {
    const bus = new EventBus({ flushIntervalMs: 10_000 });
    const batches: EventBatch[] = [];
    bus.subscribe((batch) => batches.push(batch));
    const record = (id: number) =>
      ({
        id,
        atUs: 0,
        sessionId: 's',
        transport: 'tcp',
        direction: 'in',
        local: null,
        remote: null,
        size: 0,
        event: null,
        message: null,
        params: null,
        charset: null,
        preview: '',
        truncated: false,
      }) as const;
    for (let i = 1; i <= 3; i++) {
      bus.emitRecord(record(i));
      bus.emitLatest('log.stats', update('log', `after ${i}`));
    }
    bus.emit(notice('cut'));
    bus.emitRecord(record(4));
    bus.flush();
    const shape = batches[0]!.events.map((event) =>
      event.type === 'log.records'
        ? event.records.map((each) => each.id).join(',')
        : event.type === 'notice'
          ? event.message
          : event.type,
    );
    expect(shape).toEqual(['1,2,3', 'log after 3', 'cut', '4']);
    bus.close();
  });
});
