import { describe, expect, it } from 'vitest';
import { RepeatTimer } from '../../../../src/main/engine/sockets/repeat-timer';
import { eventually } from '../../../support/engine-calls';

function owner() {
  const told = { changes: 0, stopped: [] as string[], blocked: null as string | null };
  return {
    told,
    owner: {
      cannotSend: () => told.blocked,
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
    expect(timer.state()).toEqual({ sent: 0, total: 4, intervalMs: 5 });
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
});
