import type { SocketAddress } from '@shared/contract/log';
import type { UdpPeer } from '@shared/contract/udp-facts';
import { udpPeersShown } from '@shared/contract/udp-facts';

/** A peer's counters; `address` is one object for the peer's life, so records share it. */
interface PeerEntry {
  address: SocketAddress;
  datagramsIn: number;
  bytesIn: number;
  datagramsOut: number;
  bytesOut: number;
  lastSeenUs: number;
}

/** Peers tracked per socket; beyond this the longest-known ones are forgotten first. */
export const udpPeersTracked = 4096;

/**
 * The senders and destinations of one UDP socket with their counters. Looked up
 * by address, then port, so a datagram costs no string building; the list shown
 * is sorted only when asked for.
 */
export class UdpPeers {
  private readonly byAddress = new Map<string, Map<number, PeerEntry>>();
  private tracked = 0;
  /** Every peer ever seen, including those forgotten. */
  seen = 0;
  /** Bumped on every change, so the session knows when to tell the UI. */
  version = 0;

  /** Counts one datagram with `address:port` and returns that peer's address object. */
  count(
    address: string,
    port: number,
    family: 'IPv4' | 'IPv6',
    direction: 'in' | 'out',
    bytes: number,
    atUs: number,
  ): SocketAddress {
    let ports = this.byAddress.get(address);
    if (ports === undefined) {
      ports = new Map();
      this.byAddress.set(address, ports);
    }
    let entry = ports.get(port);
    if (entry === undefined) {
      entry = {
        address: { address, port, family },
        datagramsIn: 0,
        bytesIn: 0,
        datagramsOut: 0,
        bytesOut: 0,
        lastSeenUs: atUs,
      };
      ports.set(port, entry);
      this.seen += 1;
      this.tracked += 1;
      if (this.tracked > udpPeersTracked) this.forgetOldest();
    }
    if (direction === 'in') {
      entry.datagramsIn += 1;
      entry.bytesIn += bytes;
    } else {
      entry.datagramsOut += 1;
      entry.bytesOut += bytes;
    }
    entry.lastSeenUs = atUs;
    this.version += 1;
    return entry.address;
  }

  /** The most recently seen peers first, at most `udpPeersShown`. */
  list(): UdpPeer[] {
    const all: PeerEntry[] = [];
    for (const ports of this.byAddress.values())
      for (const entry of ports.values()) all.push(entry);
    all.sort((a, b) => b.lastSeenUs - a.lastSeenUs);
    return all.slice(0, udpPeersShown).map((entry) => ({
      ...entry.address,
      datagramsIn: entry.datagramsIn,
      bytesIn: entry.bytesIn,
      datagramsOut: entry.datagramsOut,
      bytesOut: entry.bytesOut,
      lastSeenUs: entry.lastSeenUs,
    }));
  }

  clear(): void {
    this.byAddress.clear();
    this.tracked = 0;
    this.seen = 0;
    this.version += 1;
  }

  private forgetOldest(): void {
    // Maps keep insertion order: the first address is the one known longest.
    for (const [address, ports] of this.byAddress) {
      const first = ports.keys().next();
      if (first.done === true) continue;
      ports.delete(first.value);
      if (ports.size === 0) this.byAddress.delete(address);
      this.tracked -= 1;
      return;
    }
  }
}
