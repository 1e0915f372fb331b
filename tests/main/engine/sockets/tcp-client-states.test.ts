import { describe, expect, it } from 'vitest';
import { tcpClientTransition } from '../../../../src/main/engine/sockets/tcp-client';
import type { TcpClientEvent } from '../../../../src/main/engine/sockets/tcp-client';

/** The states a client passes through for a sequence of socket events, from closed. */
function walk(...events: TcpClientEvent[]): string[] {
  const states: string[] = [];
  let state = 'closed' as Parameters<typeof tcpClientTransition>[0];
  for (const event of events) states.push((state = tcpClientTransition(state, event)));
  return states;
}

describe('tcpClientTransition', () => {
  it('makes a FIN from the peer a state of its own', () => {
    expect(walk('connect', 'connected', 'peer-fin', 'closed')).toEqual([
      'connecting',
      'connected',
      'peer-closed',
      'closed',
    ]);
  });

  it("keeps our own FIN apart from the peer's", () => {
    expect(walk('connect', 'connected', 'shutdown', 'peer-fin', 'closed')).toEqual([
      'connecting',
      'connected',
      'half-closed',
      'half-closed',
      'closed',
    ]);
  });

  it('fails a connect that errs or closes before connecting, and reconnects from any end', () => {
    expect(walk('connect', 'connect-failed', 'closed')).toEqual(['connecting', 'failed', 'failed']);
    expect(walk('connect', 'closed', 'connect', 'connected')).toEqual([
      'connecting',
      'failed',
      'connecting',
      'connected',
    ]);
    // A shutdown or a FIN outside `connected` changes nothing.
    expect(walk('shutdown', 'peer-fin')).toEqual(['closed', 'closed']);
  });

  it('marks a dead peer and brings it back, and keeps Dead once its connection closes', () => {
    expect(walk('connect', 'connected', 'peer-dead', 'peer-alive')).toEqual([
      'connecting',
      'connected',
      'dead',
      'connected',
    ]);
    expect(walk('connect', 'connected', 'peer-dead', 'closed', 'connect')).toEqual([
      'connecting',
      'connected',
      'dead',
      'dead',
      'connecting',
    ]);
    // Only a connected peer can die; FIN and shutdown work from Dead as from connected.
    expect(walk('peer-dead')).toEqual(['closed']);
    expect(walk('connect', 'connected', 'peer-dead', 'peer-fin')).toEqual([
      'connecting',
      'connected',
      'dead',
      'peer-closed',
    ]);
  });
});
