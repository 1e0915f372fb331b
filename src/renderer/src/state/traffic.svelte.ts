import type { SockscopeApi } from '@shared/api';
import type { SessionInfo, SessionStats } from '@shared/contract';
import { api } from '../api';
import { failureOf } from '../lib/failure';
import type { Failure } from '../lib/failure';
import { sessions } from './sessions.svelte';
import type { SessionsState } from './sessions.svelte';

const zero: SessionStats = {
  bytesIn: 0,
  bytesOut: 0,
  packetsIn: 0,
  packetsOut: 0,
  rateInBps: 0,
  rateOutBps: 0,
};

/** The sum of every session's counters (a closed session's rate counts as 0). */
export function totalStats(list: readonly SessionInfo[]): SessionStats {
  const total = { ...zero };
  for (const { stats, state } of list) {
    total.bytesIn += stats.bytesIn;
    total.bytesOut += stats.bytesOut;
    total.packetsIn += stats.packetsIn;
    total.packetsOut += stats.packetsOut;
    if (state !== 'closed' && state !== 'failed') {
      total.rateInBps += stats.rateInBps;
      total.rateOutBps += stats.rateOutBps;
    }
  }
  return total;
}

/** Sent and received counters for the status bar: per session and in total. */
export class TrafficState {
  failure = $state<Failure | null>(null);
  readonly total: SessionStats;

  constructor(
    private readonly engine: SockscopeApi,
    /** Every session the engine reports, of every kind. */
    sessionsState: SessionsState,
  ) {
    this.total = $derived(totalStats(sessionsState.all()));
  }

  /** Zeroes every session's counters in the engine; the new figures arrive as updates. */
  async reset(): Promise<void> {
    this.failure = null;
    try {
      await this.engine.call('session.resetCounters', {});
    } catch (error) {
      this.failure = failureOf(error);
    }
  }
}

export const traffic = new TrafficState(api, sessions);
