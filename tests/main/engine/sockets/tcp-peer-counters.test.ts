import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../../src/main/engine';
import { connectClient } from '../../../support/clients';
import { call, eventually } from '../../../support/engine-calls';

const mebibyte = 1024 * 1024;

describe("a server client's sent counter", () => {
  let engine: Engine;

  beforeAll(async () => {
    engine = await Engine.start({ transport: 'web', version: 'test' });
  });
  afterAll(async () => {
    await engine.close();
  });

  it('counts echoed bytes once the kernel takes them, not when they are handed over', async () => {
    const server = await call(engine, 'tcp.listen', { host: '127.0.0.1', port: 0, mode: 'echo' });
    const client = await connectClient(server.local!.port);
    // The client writes but does not read: the echo backs up in the server's socket.
    client.socket.pause();
    const total = 48 * mebibyte;
    const chunk = Buffer.alloc(mebibyte, 0x5a);
    for (let sent = 0; sent < total; sent += chunk.length) client.socket.write(chunk);
    const peerStats = async () => {
      const info = await call(engine, 'session.info', { sessionId: server.id });
      if (info.kind !== 'tcp-server' || info.peerIds[0] === undefined) throw new Error('no client');
      const peer = await call(engine, 'session.info', { sessionId: info.peerIds[0] });
      if (peer.kind !== 'tcp-peer') throw new Error('not a peer');
      return { ...peer.stats, queued: peer.writeQueue.queuedBytes };
    };
    // Settled: the server stopped reading once its own writes backed up.
    let last = await peerStats();
    await eventually(async () => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const now = await peerStats();
      const settled = now.bytesIn === last.bytesIn && now.bytesIn > 0;
      last = now;
      expect(settled).toBe(true);
    }, 20_000);
    // What was read was handed back in full, but the kernel has not taken all of it.
    expect(last.bytesIn).toBeLessThan(total);
    expect(last.bytesOut).toBeLessThan(last.bytesIn);

    // Once the client reads, everything comes back and the counters meet.
    client.socket.resume();
    await eventually(() => expect(client.received().length).toBe(total), 30_000);
    await eventually(async () => {
      const done = await peerStats();
      expect(done.bytesIn).toBe(total);
      expect(done.bytesOut).toBe(total);
    });
    client.socket.destroy();
    await call(engine, 'session.remove', { sessionId: server.id });
  }, 60_000);
});
