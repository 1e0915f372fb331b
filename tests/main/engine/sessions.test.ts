import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../src/main/engine';
import { call, eventually } from '../../support/engine-calls';
import { startPeer } from '../../support/peers';
import type { TestPeer } from '../../support/peers';

describe('session counters', () => {
  let engine: Engine;
  let echo: TestPeer;

  beforeAll(async () => {
    engine = await Engine.start({ transport: 'web', version: 'test' });
    echo = await startPeer();
  });
  afterAll(async () => {
    await engine.close();
    await echo.close();
  });

  async function sessionWithTraffic(): Promise<string> {
    const session = await call(engine, 'tcp.connect', { host: '127.0.0.1', port: echo.port });
    await call(engine, 'session.send', {
      sessionId: session.id,
      payload: { format: 'text', text: 'count me' },
    });
    await eventually(async () =>
      expect((await call(engine, 'session.info', { sessionId: session.id })).stats.bytesIn).toBe(8),
    );
    return session.id;
  }

  it('resets one session, then every session, keeping the log and the connection', async () => {
    const first = await sessionWithTraffic();
    const second = await sessionWithTraffic();
    const recordsBefore = engine.log.stats().records;

    expect(await call(engine, 'session.resetCounters', { sessionId: first })).toEqual({
      sessions: 1,
    });
    const reset = await call(engine, 'session.info', { sessionId: first });
    expect(reset.stats).toMatchObject({ bytesIn: 0, bytesOut: 0, packetsIn: 0, packetsOut: 0 });
    expect(reset.state).toBe('connected');
    expect((await call(engine, 'session.info', { sessionId: second })).stats.bytesOut).toBe(8);

    expect((await call(engine, 'session.resetCounters', {})).sessions).toBe(2);
    expect((await call(engine, 'session.info', { sessionId: second })).stats.bytesOut).toBe(0);
    expect(engine.log.stats().records).toBe(recordsBefore);

    // Counting goes on from zero.
    await call(engine, 'session.send', {
      sessionId: first,
      payload: { format: 'text', text: 'again' },
    });
    await eventually(async () =>
      expect((await call(engine, 'session.info', { sessionId: first })).stats).toMatchObject({
        bytesOut: 5,
        packetsOut: 1,
        bytesIn: 5,
      }),
    );
  });

  it('refuses an unknown or malformed session id, naming the field', async () => {
    await expect(
      call(engine, 'session.resetCounters', { sessionId: 'tcp-999' }),
    ).rejects.toMatchObject({ code: 'ERR_SESSION_NOT_FOUND' });
    await expect(call(engine, 'session.resetCounters', { sessionId: '' })).rejects.toThrow(
      'sessionId: must not be empty',
    );
  });
});
