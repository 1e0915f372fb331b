import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../../src/main/engine';
import { call, eventually } from '../../../support/engine-calls';
import { startPeer } from '../../../support/peers';
import type { TestPeer } from '../../../support/peers';

describe('payload macros expand per send, on real sockets', () => {
  let engine: Engine;
  let sink: TestPeer;

  beforeAll(async () => {
    engine = await Engine.start({ transport: 'web', version: 'test' });
    sink = await startPeer({ onConnection: () => {} });
  });
  afterAll(async () => {
    await engine.close();
    await sink.close();
  });

  const received = (index: number) => Buffer.concat(sink.received[index] ?? []).toString('latin1');

  it('gives each send and each repeat tick its own counter and seq', async () => {
    const session = await call(engine, 'tcp.connect', { host: '127.0.0.1', port: sink.port });
    const index = sink.connections.length - 1;
    const payload = { format: 'text' as const, text: '[{counter:start=1,width=3}]' };
    await call(engine, 'session.send', { sessionId: session.id, payload });
    await call(engine, 'session.send', { sessionId: session.id, payload });
    await eventually(() => expect(received(index)).toBe('[001][002]'));
    await call(engine, 'session.repeat', {
      sessionId: session.id,
      payload: { format: 'text', text: '<{seq}:{counter:start=1}>' },
      intervalMs: 5,
      count: 3,
    });
    await eventually(() => expect(received(index)).toBe('[001][002]<1:3><2:4><3:5>'));
    // The global counter is shared by every session.
    const other = await call(engine, 'tcp.connect', { host: '127.0.0.1', port: sink.port });
    const otherIndex = sink.connections.length - 1;
    const global = { format: 'text' as const, text: '{counter:global}.' };
    await call(engine, 'session.send', { sessionId: session.id, payload: global });
    await call(engine, 'session.send', { sessionId: other.id, payload: global });
    await eventually(() => expect(received(otherIndex)).toBe('1.'));
  });

  it('sends a Modbus request with its CRC, and previews it without advancing counters', async () => {
    const session = await call(engine, 'tcp.connect', { host: '127.0.0.1', port: sink.port });
    const index = sink.connections.length - 1;
    const payload = { format: 'hex' as const, text: '01 03 00 00 00 0A {crc16-modbus}' };
    const preview = await call(engine, 'payload.preview', { sessionId: session.id, payload });
    expect(preview).toEqual({
      size: 8,
      base64: Buffer.from('01030000000ac5cd', 'hex').toString('base64'),
    });
    const counter = { format: 'text' as const, text: '{counter}' };
    const first = await call(engine, 'payload.preview', {
      sessionId: session.id,
      payload: counter,
    });
    const again = await call(engine, 'payload.preview', {
      sessionId: session.id,
      payload: counter,
    });
    expect(again).toEqual(first);
    await call(engine, 'session.send', { sessionId: session.id, payload });
    await eventually(() =>
      expect(Buffer.concat(sink.received[index]!).toString('hex')).toBe('01030000000ac5cd'),
    );
  });

  it('refuses a bad macro at the boundary, naming the field and the position', async () => {
    const session = await call(engine, 'tcp.connect', { host: '127.0.0.1', port: sink.port });
    await expect(
      call(engine, 'session.send', {
        sessionId: session.id,
        payload: { format: 'text', text: 'x{random:9999}' },
      }),
    ).rejects.toThrow(
      'payload.text: {random:N}: N must be from 1 to 1024 (the macro at position 2)',
    );
    await expect(
      call(engine, 'session.send', {
        sessionId: session.id,
        payload: { format: 'text', text: 'A\\00B' },
      }),
    ).rejects.toThrow(/write \\x00/);
  });
});
