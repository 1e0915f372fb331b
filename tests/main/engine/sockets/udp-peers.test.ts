import { describe, expect, it } from 'vitest';
import { udpPeersShown } from '@shared/contract/udp-facts';
import { UdpPeers, udpPeersTracked } from '../../../../src/main/engine/sockets/udp-peers';
import { directedBroadcast } from '../../../../src/main/engine/sockets/network-interfaces';

describe('UdpPeers', () => {
  it('counts each peer both ways and hands out one address object per peer', () => {
    const peers = new UdpPeers();
    const first = peers.count('127.0.0.1', 5000, 'IPv4', 'in', 10, 1);
    const again = peers.count('127.0.0.1', 5000, 'IPv4', 'out', 4, 2);
    peers.count('::1', 5000, 'IPv6', 'in', 1, 3);
    expect(again).toBe(first);
    expect(peers.seen).toBe(2);
    expect(peers.list()).toEqual([
      {
        address: '::1',
        port: 5000,
        family: 'IPv6',
        datagramsIn: 1,
        bytesIn: 1,
        datagramsOut: 0,
        bytesOut: 0,
        lastSeenUs: 3,
      },
      {
        address: '127.0.0.1',
        port: 5000,
        family: 'IPv4',
        datagramsIn: 1,
        bytesIn: 10,
        datagramsOut: 1,
        bytesOut: 4,
        lastSeenUs: 2,
      },
    ]);
  });

  it('forgets the longest-known peers beyond its limit and lists the most recent', () => {
    const peers = new UdpPeers();
    const total = udpPeersTracked + 10;
    for (let port = 1; port <= total; port++) peers.count('10.0.0.1', port, 'IPv4', 'in', 1, port);
    expect(peers.seen).toBe(total);
    const listed = peers.list();
    expect(listed).toHaveLength(udpPeersShown);
    expect(listed[0]!.port).toBe(total);
    // The first ten were forgotten; a datagram from one of them counts it anew.
    peers.count('10.0.0.1', 1, 'IPv4', 'in', 1, total + 1);
    expect(peers.list()[0]).toMatchObject({ port: 1, datagramsIn: 1 });
  });
});

describe('directedBroadcast', () => {
  it('sets the host bits of the address', () => {
    expect(directedBroadcast('192.168.1.20', '255.255.255.0')).toBe('192.168.1.255');
    expect(directedBroadcast('127.0.0.1', '255.0.0.0')).toBe('127.255.255.255');
    expect(directedBroadcast('10.1.2.3', '255.255.240.0')).toBe('10.1.15.255');
  });
});
