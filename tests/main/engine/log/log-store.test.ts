import { describe, expect, it } from 'vitest';
import { totalmem } from 'node:os';
import { ErrorCode } from '@shared/errors';
import { LogStore, maxLogBudgetBytes, slabBytes } from '../../../../src/main/engine/log/log-store';
import type { NewRecord } from '../../../../src/main/engine/log/log-store';

function packet(size: number, fill = 1, sessionId = 's1'): NewRecord {
  return {
    atUs: 1,
    sessionId,
    transport: 'tcp',
    direction: 'in',
    local: null,
    remote: null,
    size,
    event: null,
    message: null,
    params: null,
    charset: null,
    bytes: new Uint8Array(size).fill(fill),
  };
}

describe('LogStore', () => {
  it('gives the newest records page by page, oldest first, from what it still holds', () => {
    const store = new LogStore(20_000);
    expect(store.latest(10)).toEqual([]);
    for (let i = 0; i < 40; i++) store.append(packet(1000, i));
    const oldest = store.stats().oldestId!;
    expect(oldest).toBeGreaterThan(1);
    const ids = (records: { id: number }[]) => records.map((record) => record.id);
    expect(ids(store.latest(3))).toEqual([38, 39, 40]);
    expect(ids(store.latest(3, 38))).toEqual([35, 36, 37]);
    expect(ids(store.latest(1000, 38))[0]).toBe(oldest);
    expect(store.latest(5, oldest)).toEqual([]);
    expect(ids(store.latest(2, 10_000))).toEqual([39, 40]);
  });

  it('numbers records in order and finds them by id', () => {
    const store = new LogStore(1024 * 1024);
    const ids = [store.append(packet(10)).id, store.append(packet(20)).id];
    expect(ids).toEqual([1, 2]);
    expect(store.get(2)?.size).toBe(20);
    expect(store.get(3)).toBeUndefined();
    expect(store.stats()).toMatchObject({ records: 2, evictedRecords: 0, oldestId: 1 });
  });

  it('shares bytes it already holds (an echo) and keeps them while the newer record lives', () => {
    const store = new LogStore(3 * slabBytes + 10_000);
    // The received record fills a slab; the echo shares its bytes and adds none.
    const received = store.append(packet(slabBytes - 10, 7));
    const echoed = store.append({
      ...packet(slabBytes - 10),
      direction: 'out',
      bytes: received.bytes,
    });
    expect(echoed.bytes.buffer).toBe(received.bytes.buffer);
    expect(echoed.bytes.byteOffset).toBe(received.bytes.byteOffset);
    // Enough later records to evict the received one and fill the next slab: a slab
    // recycled with the echo still live would now hold 9s.
    for (let i = 0; i < 2000; i++) store.append(packet(3000, 9));
    expect(store.get(received.id)).toBeUndefined();
    expect(store.get(echoed.id)).toBe(echoed);
    expect(echoed.bytes.every((b) => b === 7)).toBe(true);
  });

  it('evicts the oldest first to stay within its byte budget, and counts what it evicted', () => {
    const store = new LogStore(10_000);
    for (let i = 0; i < 20; i++) store.append(packet(1000, i));
    const stats = store.stats();
    expect(stats.bytes).toBeLessThanOrEqual(10_000);
    expect(stats.evictedRecords).toBeGreaterThan(0);
    expect(stats.evictedRecords + stats.records).toBe(20);
    expect(stats.evictedBytes).toBe(stats.evictedRecords * 1000);
    expect(store.get(1)).toBeUndefined();
    const newest = store.get(20)!;
    expect(newest.bytes[0]).toBe(19);
    expect(stats.oldestId).toBe(20 - stats.records + 1);
  });

  it('keeps the newest record even when it alone is over budget', () => {
    const store = new LogStore(100);
    store.append(packet(50));
    store.append(packet(5000));
    expect(store.stats()).toMatchObject({ records: 1, oldestId: 2 });
  });

  it('iterates one session or all, and stays consistent across compaction', () => {
    const store = new LogStore(3_000_000);
    for (let i = 0; i < 12_000; i++) store.append(packet(100, 0, i % 2 === 0 ? 'a' : 'b'));
    const all = [...store.iterate()];
    expect(all.length).toBe(store.size);
    expect([...store.iterate('a')].every((record) => record.sessionId === 'a')).toBe(true);
    for (const record of all.slice(-5)) expect(store.get(record.id)).toBe(record);
  });

  it('shrinking the budget evicts at once; clearing keeps ids increasing', () => {
    const store = new LogStore(1_000_000);
    for (let i = 0; i < 10; i++) store.append(packet(10_000));
    store.setBudget(25_000);
    expect(store.stats().records).toBeLessThanOrEqual(2);
    store.clear();
    expect(store.stats()).toMatchObject({ records: 0, bytes: 0, oldestId: null });
    expect(store.append(packet(1)).id).toBe(11);
  });

  it('copies bytes, so the caller may reuse its buffer at once', () => {
    const store = new LogStore(1024 * 1024);
    const reused = new Uint8Array(8).fill(7);
    const record = store.append({ ...packet(8), bytes: reused });
    reused.fill(0);
    expect([...record.bytes]).toEqual(new Array(8).fill(7));
  });

  it('recycles slabs without ever corrupting a live record', () => {
    // 10 MiB of budget, 1000 × 64 KiB through it: slabs are reused many times over.
    const store = new LogStore(10 * 1024 * 1024);
    const chunk = new Uint8Array(64 * 1024);
    for (let i = 0; i < 1000; i++) {
      chunk.fill(i % 251);
      store.append({ ...packet(chunk.length), bytes: chunk });
      if (i % 97 === 0) {
        for (const record of store.iterate()) {
          const expected = (record.id - 1) % 251;
          expect(record.bytes[0]).toBe(expected);
          expect(record.bytes[record.bytes.length - 1]).toBe(expected);
        }
      }
    }
    const stats = store.stats();
    expect(stats.evictedRecords).toBeGreaterThan(800);
    expect(stats.bytes).toBeLessThanOrEqual(10 * 1024 * 1024);
  });

  it('keeps a payload larger than a slab whole', () => {
    const store = new LogStore(64 * 1024 * 1024);
    const big = new Uint8Array(slabBytes + 10).fill(3);
    const record = store.append({ ...packet(big.length), bytes: big });
    expect(record.bytes.length).toBe(big.length);
    expect(record.bytes.every((byte) => byte === 3)).toBe(true);
  });

  it('caps the budget at a quarter of the machine memory, refusing more with the field and the cap', () => {
    const cap = maxLogBudgetBytes();
    expect(cap).toBeLessThanOrEqual(Math.max(256 * 1024 * 1024, totalmem() / 4));
    expect(maxLogBudgetBytes(8 * 1024 ** 3)).toBe(2 * 1024 ** 3);
    const store = new LogStore();
    expect(() => store.setBudget(cap + 1024 * 1024)).toThrow(
      expect.objectContaining({
        code: ErrorCode.invalidArgs,
        message: `budgetBytes: must be at most ${cap / 1024 / 1024} MiB on this machine (a quarter of its memory)`,
      }),
    );
    store.setBudget(cap);
    expect(store.stats().budgetBytes).toBe(cap);
    // A larger saved budget (another machine's) starts at this machine's cap.
    expect(new LogStore(16 * 1024 ** 4).stats().budgetBytes).toBe(cap);
  });
});
