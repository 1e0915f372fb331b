import { describe, expect, it } from 'vitest';
import { tcpPeerTransition } from '../../../../src/main/engine/sockets/tcp-peer';
import type { TcpPeerEvent } from '../../../../src/main/engine/sockets/tcp-peer';
import { tcpServerTransition } from '../../../../src/main/engine/sockets/tcp-server';

function walkPeer(...events: TcpPeerEvent[]): string[] {
  let state: Parameters<typeof tcpPeerTransition>[0] = 'connected';
  return events.map((event) => (state = tcpPeerTransition(state, event)));
}

describe('tcpPeerTransition', () => {
  it("keeps our FIN (half-closed) apart from the client's (peer-closed)", () => {
    expect(walkPeer('fin-sent', 'peer-fin', 'closed')).toEqual([
      'half-closed',
      'half-closed',
      'closed',
    ]);
    expect(walkPeer('peer-fin', 'fin-sent', 'closed')).toEqual([
      'peer-closed',
      'peer-closed',
      'closed',
    ]);
  });

  it('stays closed once closed', () => {
    expect(walkPeer('closed', 'peer-fin', 'fin-sent')).toEqual(['closed', 'closed', 'closed']);
  });
});

describe('tcpServerTransition', () => {
  it('listens from starting, and a failed listen stays failed', () => {
    expect(tcpServerTransition('starting', 'listening')).toBe('listening');
    expect(tcpServerTransition('listening', 'closed')).toBe('closed');
    expect(tcpServerTransition('starting', 'listen-failed')).toBe('failed');
    expect(tcpServerTransition('failed', 'closed')).toBe('failed');
    expect(tcpServerTransition('closed', 'listening')).toBe('closed');
  });
});
