import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../src/main/engine';
import { createEngineEvents } from '../../../src/renderer/src/state/events';
import { SessionsState } from '../../../src/renderer/src/state/sessions.svelte';
import { eventually } from '../../support/engine-calls';
import { inProcessApi } from '../../support/in-process-api';
import { freePort, startPeer, startUnansweredPort } from '../../support/peers';
import type { TestPeer } from '../../support/peers';

describe('sessions state against a real engine in-process', () => {
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

  function fresh(): SessionsState {
    const api = inProcessApi(engine);
    const events = createEngineEvents(api);
    const state = new SessionsState(api, events);
    events.start();
    return state;
  }

  it('connects, follows the engine events, and shows the new session', async () => {
    const state = fresh();
    const session = await state.connect({ host: '127.0.0.1', port: echo.port });
    expect(session?.state).toBe('connected');
    expect(state.activeId).toBe(session!.id);
    expect(state.active?.remote?.port).toBe(echo.port);
    await state.act('session.close', session!.id);
    await eventually(() => expect(state.byId[session!.id]?.state).toBe('closed'));
    expect(state.finished().map((entry) => entry.id)).toContain(session!.id);
    await state.removeFinished();
    expect(state.list()).toEqual([]);
  });

  it('closes finished tabs in bulk and keeps live ones', async () => {
    const state = fresh();
    const live = await state.connect({ host: '127.0.0.1', port: echo.port });
    const failed = await state.connect({ host: '127.0.0.1', port: await freePort() });
    expect(failed?.state).toBe('failed');
    const closed = await state.connect({ host: '127.0.0.1', port: echo.port });
    await state.act('session.close', closed!.id);
    await state.removeFinished();
    expect(state.list().map((entry) => entry.id)).toEqual([live!.id]);
    expect(await engine.run('session.list', {})).toEqual([
      expect.objectContaining({ id: live!.id, state: 'connected' }),
    ]);
    await state.remove(live!.id);
    expect(state.list()).toEqual([]);
  });

  it('refuses a connect with bad arguments through the contract, as a coded failure', async () => {
    const state = fresh();
    expect(await state.connect({ host: '127.0.0.1', port: 0 })).toBeNull();
    expect(state.connectFailure).toMatchObject({
      code: 'ERR_INVALID_ARGS',
      details: { field: 'port', problem: 'must be from 1 to 65535' },
    });
  });

  it('loads sessions the engine already holds', async () => {
    const first = fresh();
    const session = await first.connect({ host: '127.0.0.1', port: echo.port });
    const second = fresh();
    await second.load();
    expect(second.byId[session!.id]?.state).toBe('connected');
    await first.remove(session!.id);
    await eventually(() => expect(second.byId[session!.id]).toBeUndefined());
  });

  it('cancels the connect in progress: its session closes as failed', async (context) => {
    const unanswered = await startUnansweredPort();
    if (unanswered === null) {
      console.log('skipped: python3 is absent, so no unanswered port can be made');
      context.skip();
      return;
    }
    try {
      const state = fresh();
      const pending = state.connect({ host: '127.0.0.1', port: unanswered.port });
      await eventually(() =>
        expect(state.list().some((session) => session.state === 'connecting')).toBe(true),
      );
      expect(state.connecting).toBe(true);
      await state.cancelConnect();
      const session = await pending;
      expect(session?.state).toBe('failed');
      expect(state.connecting).toBe(false);
      expect(state.activeId).toBe(session!.id);
      await state.remove(session!.id);
    } finally {
      unanswered.close();
    }
  });
});
