import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { SocketAddress } from '@shared/contract';
import { Engine } from '../../../../src/main/engine';
import { call, collectBatches, eventually } from '../../../support/engine-calls';
import { startPeer } from '../../../support/peers';

describe('inbound taps', () => {
  it('see each inbound packet after it is logged, in order, without a copy of its bytes', async () => {
    const engine = await Engine.start({ transport: 'web', version: 'test' });
    // 'two' goes out only once 'one' was seen: a fixed delay lets a loaded machine
    // read both in one chunk.
    let peerSocket: Socket | null = null;
    const peer = await startPeer({
      onConnection: (socket) => {
        peerSocket = socket;
        socket.write('one');
      },
    });
    const calls: string[] = [];
    const seen: { id: number; text: string; sameMemory: boolean; peer: SocketAddress | null }[] =
      [];
    engine.inboundTaps.add((session, record, from) => {
      calls.push(`first ${record.id}`);
      const held = engine.log.get(record.id);
      seen.push({
        id: record.id,
        text: Buffer.from(record.bytes).toString(),
        // The same memory the log holds: the tap got the log's bytes, not a copy.
        sameMemory:
          held !== undefined &&
          held.bytes.buffer === record.bytes.buffer &&
          held.bytes.byteOffset === record.bytes.byteOffset,
        peer: from,
      });
      expect(session.transport).toBe('tcp');
      expect(record.transport).toBe('tcp');
    });
    engine.inboundTaps.add(() => {
      throw new Error('a broken tap');
    });
    const removeLast = engine.inboundTaps.add((_session, record) =>
      calls.push(`third ${record.id}`),
    );
    const { batches, stop } = collectBatches(engine);
    try {
      const session = await call(engine, 'tcp.connect', { host: '127.0.0.1', port: peer.port });
      await call(engine, 'session.send', {
        sessionId: session.id,
        payload: { format: 'text', text: 'out' },
      });
      await eventually(() => expect(seen.map((each) => each.text)).toEqual(['one']));
      (peerSocket as Socket | null)?.write('two');
      await eventually(() => expect(seen.map((each) => each.text)).toEqual(['one', 'two']));
      expect(calls).toEqual([
        `first ${seen[0]!.id}`,
        `third ${seen[0]!.id}`,
        `first ${seen[1]!.id}`,
        `third ${seen[1]!.id}`,
      ]);
      expect(seen.every((each) => each.sameMemory)).toBe(true);
      expect(seen[0]!.peer).toEqual({ address: '127.0.0.1', port: peer.port, family: 'IPv4' });

      removeLast();
      peer.connections[0]!.write('three');
      await eventually(() => expect(seen).toHaveLength(3));
      expect(calls.at(-1)).toBe(`first ${seen[2]!.id}`);
      engine.events.flush();
      const notices = batches
        .flatMap((batch) => batch.events)
        .filter((event) => event.type === 'notice');
      // Said once, though the broken tap failed on every packet.
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatchObject({ level: 'error', message: /a broken tap/ });
    } finally {
      stop();
      await engine.close();
      await peer.close();
    }
  });
});
