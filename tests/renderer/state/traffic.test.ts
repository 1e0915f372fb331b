import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionInfo } from '@shared/contract';
import { Engine } from '../../../src/main/engine';
import { createEngineEvents } from '../../../src/renderer/src/state/events';
import { SessionsState } from '../../../src/renderer/src/state/sessions.svelte';
import { TrafficState, totalStats } from '../../../src/renderer/src/state/traffic.svelte';
import { call, eventually } from '../../support/engine-calls';
import { inProcessApi } from '../../support/in-process-api';
import { startPeer } from '../../support/peers';
import type { TestPeer } from '../../support/peers';

describe('totalStats', () => {
  const stats = (bytes: number, rate: number) => ({
    bytesIn: bytes,
    bytesOut: 2 * bytes,
    packetsIn: 1,
    packetsOut: 2,
    rateInBps: rate,
    rateOutBps: 2 * rate,
  });

  it('sums counters of every session and rates of the open ones only', () => {
    const list = [
      { state: 'connected', stats: stats(10, 100) },
      { state: 'closed', stats: stats(5, 50) },
      { state: 'failed', stats: stats(0, 7) },
      { state: 'listening', stats: stats(1, 1) },
    ] as unknown as SessionInfo[];
    expect(totalStats(list)).toEqual({
      bytesIn: 16,
      bytesOut: 32,
      packetsIn: 4,
      packetsOut: 8,
      rateInBps: 101,
      rateOutBps: 202,
    });
    expect(totalStats([])).toMatchObject({ bytesIn: 0, rateOutBps: 0 });
  });
});

describe('traffic state against a real engine in-process', () => {
  let engine: Engine;
  let echo: TestPeer;
  let sessions: SessionsState;
  let traffic: TrafficState;

  beforeAll(async () => {
    engine = await Engine.start({ transport: 'web', version: 'test' });
    echo = await startPeer();
    const api = inProcessApi(engine);
    const events = createEngineEvents(api);
    sessions = new SessionsState(api, events);
    traffic = new TrafficState(api, sessions);
    events.start();
  });
  afterAll(async () => {
    await engine.close();
    await echo.close();
  });

  it('totals what every session sent and received, and resets them all in the engine', async () => {
    const first = (await sessions.connect({ host: '127.0.0.1', port: echo.port }))!;
    const second = (await sessions.connect({ host: '127.0.0.1', port: echo.port }))!;
    for (const [session, text] of [
      [first, 'twelve bytes'],
      [second, 'five!'],
    ] as const)
      await call(engine, 'session.send', {
        sessionId: session.id,
        payload: { format: 'text', text },
      });
    await eventually(() =>
      expect(traffic.total).toMatchObject({
        bytesOut: 17,
        bytesIn: 17,
        packetsOut: 2,
        packetsIn: 2,
      }),
    );

    await traffic.reset();
    expect(traffic.failure).toBeNull();
    await eventually(() =>
      expect(traffic.total).toMatchObject({ bytesOut: 0, bytesIn: 0, packetsOut: 0, packetsIn: 0 }),
    );
    await sessions.remove(first.id);
    await sessions.remove(second.id);
  });

  it('says why a reset failed when the engine cannot answer', async () => {
    const closed = await Engine.start({ transport: 'web', version: 'test' });
    await closed.close();
    const api = inProcessApi(closed);
    const orphan = new TrafficState(api, new SessionsState(api, createEngineEvents(api)));
    await orphan.reset();
    expect(orphan.failure?.code).toBe('ERR_ENGINE_CLOSED');
  });
});
