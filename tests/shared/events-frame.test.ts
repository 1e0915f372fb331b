import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventBatch } from '@shared/contract';
import type { LogRecordPreview, SocketAddress } from '@shared/contract';
import { charsets } from '@shared/charsets';
import { decodeEventsFrame, decodeServerFrame, encodeEventsFrame } from '@shared/events-frame';
import { previewRecord } from '../support/log-records';

const address: fc.Arbitrary<SocketAddress> = fc.record({
  address: fc.oneof(fc.ipV4(), fc.ipV6()),
  port: fc.integer({ min: 0, max: 65535 }),
  family: fc.constantFrom('IPv4' as const, 'IPv6' as const),
});

const base64 = fc
  .uint8Array({ maxLength: 256 })
  .map((bytes) => Buffer.from(bytes).toString('base64'));

function recordOf(addresses: SocketAddress[]): fc.Arbitrary<LogRecordPreview> {
  // Records share address objects as the engine's do, and sometimes carry their own.
  const someAddress = fc.oneof(
    fc.constant(null),
    fc.constantFrom(...addresses),
    address,
  ) as fc.Arbitrary<SocketAddress | null>;
  return fc.record({
    id: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
    atUs: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
    sessionId: fc.constantFrom('s1', 's2', 's3:peer-1', '会话'),
    transport: fc.constantFrom('tcp' as const, 'udp' as const),
    direction: fc.constantFrom('in' as const, 'out' as const, 'event' as const),
    local: someAddress,
    remote: someAddress,
    size: fc.integer({ min: 0, max: 0xffffffff }),
    event: fc.constantFrom(null, 'connected' as const, 'error' as const, 'dead' as const),
    message: fc.option(fc.string({ unit: 'grapheme' })),
    params: fc.option(
      fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer()), { maxKeys: 3 }),
    ),
    charset: fc.constantFrom(null, ...charsets),
    preview: base64,
    truncated: fc.boolean(),
  });
}

const batch: fc.Arbitrary<EventBatch> = fc
  .array(address, { minLength: 1, maxLength: 4 })
  .chain((addresses) =>
    fc.record({
      seq: fc.nat(),
      events: fc.array(
        fc.oneof(
          fc.record({
            type: fc.constant('log.records' as const),
            records: fc.array(recordOf(addresses), { maxLength: 40 }),
          }),
          fc.record({
            type: fc.constant('notice' as const),
            level: fc.constantFrom('info' as const, 'warning' as const, 'error' as const),
            message: fc.string(),
            atUs: fc.nat(),
          }),
          fc.record({ type: fc.constant('session.removed' as const), sessionId: fc.string() }),
        ),
        { maxLength: 6 },
      ),
    }),
  );

describe('the browser-mode events frame', () => {
  it('gives back every batch as it was, events in order and records field by field', () => {
    fc.assert(
      fc.property(batch, (original) => {
        const decoded = decodeEventsFrame(encodeEventsFrame(original));
        expect(decoded).toEqual(original);
        expect(EventBatch.safeParse(decoded).success).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('reads a frame that sits at any offset of a larger buffer, as Node delivers them', () => {
    const frame = encodeEventsFrame({
      seq: 7,
      events: [{ type: 'log.records', records: [] }],
    });
    for (const offset of [1, 3, 8, 13]) {
      const pooled = new Uint8Array(offset + frame.byteLength);
      pooled.set(frame, offset);
      expect(decodeEventsFrame(pooled.subarray(offset)).seq).toBe(7);
    }
  });

  it('sends what repeats in a flood once: 64-byte datagrams cost about a third of their JSON', () => {
    const local: SocketAddress = { address: '127.0.0.1', port: 9000, family: 'IPv4' };
    const remote: SocketAddress = { address: '127.0.0.1', port: 9001, family: 'IPv4' };
    const preview = Buffer.alloc(64, 0x41).toString('base64');
    const records = Array.from({ length: 1000 }, (_, index) =>
      previewRecord({
        id: index + 1,
        atUs: 1_700_000_000_000_000 + index,
        sessionId: 'udp-1',
        transport: 'udp',
        local,
        remote,
        size: 64,
        preview,
      }),
    );
    const flood: EventBatch = { seq: 1, events: [{ type: 'log.records', records }] };
    const json = Buffer.byteLength(JSON.stringify({ kind: 'events', batch: flood }));
    const binary = encodeEventsFrame(flood).byteLength;
    expect(binary).toBeLessThan(json * 0.4);
  });

  it('refuses a frame it cannot read instead of inventing records', () => {
    const frame = encodeEventsFrame({
      seq: 1,
      events: [
        {
          type: 'log.records',
          records: [previewRecord({ size: 3, preview: 'YWJj' })],
        },
      ],
    });
    expect(() => decodeEventsFrame(frame.subarray(0, frame.byteLength - 2))).toThrow(
      /previews do not add up|cut short/,
    );
    const otherVersion = frame.slice();
    otherVersion[0] = 9;
    expect(() => decodeEventsFrame(otherVersion)).toThrow(/version/);
    expect(() => decodeEventsFrame(new Uint8Array(3))).toThrow(/cut short/);
  });

  it('tells a JSON reply from a binary events frame', () => {
    const reply = decodeServerFrame(
      JSON.stringify({ kind: 'reply', id: 4, envelope: { ok: true, result: 1 } }),
    );
    expect(reply).toEqual({ kind: 'reply', id: 4, envelope: { ok: true, result: 1 } });
    const events = decodeServerFrame(
      encodeEventsFrame({ seq: 3, events: [] }).buffer as ArrayBuffer,
    );
    expect(events).toEqual({ kind: 'events', batch: { seq: 3, events: [] } });
  });
});
