import { describe, expect, it } from 'vitest';
import { RepeatTimer } from '../../../../src/main/engine/sockets/repeat-timer';
import { eventually } from '../../../support/engine-calls';

function owner() {
  const told = {
    changes: 0,
    stopped: [] as string[],
    blocked: null as string | null,
    waiting: false,
  };
  return {
    told,
    owner: {
      cannotSend: () => told.blocked,
      mustWait: () => told.waiting,
      changed: () => (told.changes += 1),
      stoppedEarly: (sent: number, reason: string) => told.stopped.push(`${sent}: ${reason}`),
    },
  };
}

describe('RepeatTimer', () => {
  it('sends M times every N ms, then stops by itself', async () => {
    const { told, owner: o } = owner();
    const timer = new RepeatTimer(o);
    let sends = 0;
    timer.start(async () => (sends += 1), 5, 4);
    expect(timer.state()).toEqual({ sent: 0, total: 4, intervalMs: 5, waiting: false });
    await eventually(() => expect(timer.state()).toBeNull());
    expect(sends).toBe(4);
    expect(told.stopped).toEqual([]);
    expect(told.changes).toBeGreaterThanOrEqual(4);
  });

  it('stops, saying why, when the owner can no longer send or a send fails', async () => {
    const { told, owner: o } = owner();
    const timer = new RepeatTimer(o);
    let sends = 0;
    timer.start(async () => (sends += 1), 5, 0);
    await eventually(() => expect(sends).toBeGreaterThanOrEqual(2));
    told.blocked = 'it is closed';
    await eventually(() => expect(timer.state()).toBeNull());
    expect(told.stopped).toEqual([expect.stringMatching(/^\d+: it is closed$/)]);

    timer.start(() => Promise.reject(new Error('write EPIPE')), 5, 0);
    told.blocked = null;
    await eventually(() => expect(timer.state()).toBeNull());
    expect(told.stopped.at(-1)).toBe('1: write EPIPE');
  });

  it('skips its turns while the owner must wait, says so, and goes on afterwards', async () => {
    const { told, owner: o } = owner();
    const timer = new RepeatTimer(o);
    let sends = 0;
    told.waiting = true;
    timer.start(async () => (sends += 1), 2, 3);
    await eventually(() => expect(timer.state()?.waiting).toBe(true));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(sends).toBe(0);
    told.waiting = false;
    await eventually(() => expect(timer.state()).toBeNull());
    expect(sends).toBe(3);
    expect(told.stopped).toEqual([]);
  });
});
