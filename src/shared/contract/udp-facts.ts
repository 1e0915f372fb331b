import { z } from 'zod';
import { SocketAddress } from './log';

// What a UDP socket reports of itself beyond every session's base: its options
// as the OS granted them, its multicast memberships and the peers it has seen.
// Kept apart from udp.ts (the commands) so sessions.ts can use these without a cycle.

/** One sender or destination this socket has exchanged datagrams with. */
export const UdpPeer = SocketAddress.extend({
  datagramsIn: z.number(),
  bytesIn: z.number(),
  datagramsOut: z.number(),
  bytesOut: z.number(),
  /** Unix µs of the last datagram either way. */
  lastSeenUs: z.number(),
});
export type UdpPeer = z.infer<typeof UdpPeer>;

/** A multicast group this socket has joined (any-source when `source` is null). */
export const MulticastMembership = z.object({
  group: z.string(),
  source: z.string().nullable(),
  /** The local interface address it was joined on (null: the OS chose). */
  interface: z.string().nullable(),
});
export type MulticastMembership = z.infer<typeof MulticastMembership>;

/** The socket options, as the OS holds them now. */
export const UdpOptions = z.object({
  reuseAddress: z.boolean(),
  ipv6Only: z.boolean(),
  broadcast: z.boolean(),
  /** Unicast TTL / hop limit we set (null: the OS default, 64 on Linux). */
  ttl: z.number().nullable(),
  /** SO_RCVBUF / SO_SNDBUF as granted (Linux doubles what was asked and caps it). */
  recvBufferBytes: z.number().nullable(),
  sendBufferBytes: z.number().nullable(),
  /** What the user asked for, null when left to the OS. */
  recvBufferRequested: z.number().nullable(),
  sendBufferRequested: z.number().nullable(),
  multicastTtl: z.number().nullable(),
  multicastLoopback: z.boolean(),
  /** The outgoing interface for multicast (null: the OS chooses by route). */
  multicastInterface: z.string().nullable(),
});
export type UdpOptions = z.infer<typeof UdpOptions>;

/** A socket's info lists at most this many peers, the most recent first. */
export const udpPeersShown = 200;
