import { z } from 'zod';
import { isIPv4, isIPv6 } from '../ip';
import { HostName, IpAddress, Port, RemotePort } from './fields';
import { HeartbeatSettings } from './heartbeat';
import { Payload } from './payload';
import { DatagramDestination, SessionId, UdpInfo, WhenQueueFull } from './sessions';
import { quoteInput } from '../quote';

// The UDP commands: bind a socket, connect it to a default peer, set its options,
// join and leave multicast groups, send a file's bytes as datagrams, and list the
// machine's interfaces (for broadcast addresses and multicast interfaces).

/** The largest datagram payload over IPv4 (65,535 − 20 IP − 8 UDP) and over IPv6 (65,535 − 8). */
export const maxDatagramBytesIPv4 = 65_507;
export const maxDatagramBytesIPv6 = 65_527;

const wholeNumber = (min: number, max: number, unit = '') =>
  z
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number' })
    .min(min, { error: `must be from ${min} to ${max}${unit}` })
    .max(max, { error: `must be from ${min} to ${max}${unit}` });

const BufferBytes = wholeNumber(1024, 256 * 1024 * 1024, ' bytes');
const Ttl = wholeNumber(1, 255);
const MulticastTtl = wholeNumber(0, 255);

/** An IPv4 (224.0.0.0/4) or IPv6 (ff00::/8) multicast group, an IPv6 one optionally with a scope. */
export function multicastGroupProblem(text: string): string | null {
  if (isIPv4(text)) {
    const first = Number(text.split('.')[0]);
    return first >= 224 && first <= 239
      ? null
      : `${quoteInput(text)} is not a multicast group (IPv4 groups are 224.0.0.0 to 239.255.255.255)`;
  }
  if (isIPv6(text))
    return /^ff/i.test(text)
      ? null
      : `${quoteInput(text)} is not a multicast group (IPv6 groups start with ff)`;
  return `${quoteInput(text)} is not an IPv4 or IPv6 address`;
}

export const MulticastGroup = z.string().superRefine((value, context) => {
  const problem = value === '' ? 'must not be empty' : multicastGroupProblem(value);
  if (problem !== null) context.addIssue({ code: 'custom', message: problem });
});

/** Where a socket binds: an IP literal; '0.0.0.0' all IPv4, '::' all (dual-stack unless IPv6-only). */
export const UdpBindArgs = z.object({
  localAddress: IpAddress.default('0.0.0.0'),
  localPort: Port.default(0),
  /** For '::': IPv6 only (no IPv4-mapped traffic). */
  ipv6Only: z.boolean().default(false),
  /** SO_REUSEADDR: several sockets may bind the same address and port. */
  reuseAddress: z.boolean().default(false),
  recvBufferBytes: BufferBytes.optional(),
  sendBufferBytes: BufferBytes.optional(),
  ttl: Ttl.optional(),
  broadcast: z.boolean().default(false),
  multicastTtl: MulticastTtl.optional(),
  multicastLoopback: z.boolean().default(true),
  /** The outgoing interface for multicast: a local address (IPv6: `::%eth0` or with its scope). */
  multicastInterface: IpAddress.optional(),
  /** connect(): a default peer; sends go there and only its datagrams are received. */
  connectTo: DatagramDestination.optional(),
  label: z.string().max(80).optional(),
  /** A heartbeat that starts once bound (to `heartbeat.to`, or the default peer). */
  heartbeat: HeartbeatSettings.optional(),
});
export type UdpBindArgs = z.output<typeof UdpBindArgs>;

export const UdpConnectArgs = z.object({ sessionId: SessionId, host: HostName, port: RemotePort });

/** Options that can change on a bound socket; those left out stay as they are. */
export const UdpSetOptionsArgs = z.object({
  sessionId: SessionId,
  broadcast: z.boolean().optional(),
  ttl: Ttl.optional(),
  multicastTtl: MulticastTtl.optional(),
  multicastLoopback: z.boolean().optional(),
  multicastInterface: IpAddress.optional(),
});
export type UdpSetOptionsArgs = z.output<typeof UdpSetOptionsArgs>;

export const UdpMembershipArgs = z.object({
  sessionId: SessionId,
  group: MulticastGroup,
  /** Source-specific: only this sender's datagrams to the group. */
  source: IpAddress.optional(),
  /** The local interface to join on: an IPv4 address, or for IPv6 `::%name` / a scoped address. */
  interface: IpAddress.optional(),
});
export type UdpMembershipArgs = z.output<typeof UdpMembershipArgs>;

/** Bytes (a piece of a file) sent as datagrams of one size, paced. */
export const UdpSendDatagramsArgs = z.object({
  sessionId: SessionId,
  payload: Payload,
  to: DatagramDestination.optional(),
  datagramBytes: wholeNumber(1, maxDatagramBytesIPv6, ' bytes').default(1024),
  /** Wait this long after each datagram (0: as fast as the socket takes them). */
  pacingMs: wholeNumber(0, 60_000, ' ms').default(0),
  /** A full send queue refuses the next datagram, or makes it wait for room (a file). */
  whenFull: WhenQueueFull.default('refuse'),
});
export const UdpSendDatagramsResult = z.object({ datagrams: z.number(), bytes: z.number() });

/** One address of one of the machine's interfaces, with what UDP can do there. */
export const NetworkInterfaceAddress = z.object({
  name: z.string(),
  address: z.string(),
  family: z.enum(['IPv4', 'IPv6']),
  internal: z.boolean(),
  /** IPv6 scope id (interface index) where the address has one. */
  scopeId: z.number().nullable(),
  /** IPv4: the directed broadcast address of its subnet. */
  broadcast: z.string().nullable(),
  /** What to give as a multicast interface: the address (IPv4) or `::%name` (IPv6). */
  multicastInterface: z.string(),
});
export type NetworkInterfaceAddress = z.infer<typeof NetworkInterfaceAddress>;

export const udpCommands = {
  'udp.bind': { args: UdpBindArgs, result: UdpInfo },
  'udp.connect': { args: UdpConnectArgs, result: UdpInfo },
  'udp.disconnect': { args: z.object({ sessionId: SessionId }), result: UdpInfo },
  'udp.setOptions': { args: UdpSetOptionsArgs, result: UdpInfo },
  'udp.join': { args: UdpMembershipArgs, result: UdpInfo },
  'udp.leave': { args: UdpMembershipArgs, result: UdpInfo },
  'udp.leaveAll': { args: z.object({ sessionId: SessionId }), result: UdpInfo },
  'udp.sendDatagrams': { args: UdpSendDatagramsArgs, result: UdpSendDatagramsResult },
  'udp.interfaces': { args: z.object({}), result: z.array(NetworkInterfaceAddress) },
} as const;
