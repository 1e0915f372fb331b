import { z } from 'zod';
import { Family, HostName, IpAddress, Port, RemotePort } from './fields';
import { SocketAddress } from './log';
import { ErrorEnvelope } from '../errors';
import { HeartbeatArgs, HeartbeatSettings, HeartbeatState } from './heartbeat';
import { Payload } from './payload';
import { RulesArgs, RulesState } from './rules';
import { MulticastMembership, UdpOptions, UdpPeer } from './udp-facts';
import { tcpPeerFacts, tcpServerFacts } from './tcp-server';

const milliseconds = (min: number, max: number) =>
  z
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number of milliseconds' })
    .min(min, { error: `must be at least ${min} ms` })
    .max(max, { error: `must be at most ${max} ms` });

export const SessionId = z.string().min(1, { error: 'must not be empty' }).max(64);

export const TcpConnectArgs = z.object({
  host: HostName,
  port: RemotePort,
  family: Family.default('any'),
  /** Bind to this local address first (empty: let the OS choose). */
  localAddress: z.union([z.literal(''), IpAddress]).optional(),
  /** Bind to this local port first (0 or absent: any). */
  localPort: Port.optional(),
  connectTimeoutMs: milliseconds(100, 300_000).default(10_000),
  keepAlive: z.boolean().default(false),
  keepAliveInitialDelayMs: milliseconds(0, 7_200_000).default(30_000),
  /** Between unanswered probes (where the runtime can set it; whole seconds to the kernel). */
  keepAliveIntervalMs: milliseconds(1000, 7_200_000).optional(),
  /** Unanswered probes before the connection is dropped (where the runtime can set it). */
  keepAliveCount: z
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number' })
    .min(1, { error: 'must be from 1 to 127' })
    .max(127, { error: 'must be from 1 to 127' })
    .optional(),
  noDelay: z.boolean().default(true),
  /** 0: no idle timeout (the seed's settimeout(None)). */
  idleTimeoutMs: milliseconds(0, 86_400_000).default(0),
  /** What the idle timeout does: close the session, or only mark it idle. */
  idleAction: z.enum(['close', 'mark']).default('mark'),
  label: z.string().max(80).optional(),
  /** A heartbeat that starts once connected (and after every reconnect). */
  heartbeat: HeartbeatSettings.optional(),
});
export type TcpConnectArgs = z.output<typeof TcpConnectArgs>;

export const SessionStats = z.object({
  bytesIn: z.number(),
  bytesOut: z.number(),
  packetsIn: z.number(),
  packetsOut: z.number(),
  /** Bytes per second over the last second or so. */
  rateInBps: z.number(),
  rateOutBps: z.number(),
});
export type SessionStats = z.infer<typeof SessionStats>;

export const RepeatState = z.object({
  sent: z.number(),
  /** 0: until stopped. */
  total: z.number(),
  intervalMs: z.number(),
  /** Paused: the peer is not reading and the session's write queue is backlogged. */
  waiting: z.boolean(),
});
export type RepeatState = z.infer<typeof RepeatState>;

/** The kinds of session the engine runs; each has its own states and facts. */
export const SessionKind = z.enum(['tcp-client', 'tcp-server', 'tcp-peer', 'udp']);
export type SessionKind = z.infer<typeof SessionKind>;

/**
 * A TCP client's states. `half-closed`: we sent FIN (shutdown of our write side)
 * and still read; `peer-closed`: the peer sent FIN and ours answers it.
 */
export const TcpClientState = z.enum([
  'connecting',
  'connected',
  /** The heartbeat found the peer dead (missed replies); the socket may still be open. */
  'dead',
  'half-closed',
  'peer-closed',
  'closed',
  'failed',
]);
export type TcpClientState = z.infer<typeof TcpClientState>;
/** A listener: it accepts peers while `listening`. */
export const TcpServerState = z.enum(['starting', 'listening', 'closed', 'failed']);
export type TcpServerState = z.infer<typeof TcpServerState>;
/** One accepted connection; it starts connected. `dead`: the server's heartbeat found it dead. */
export const TcpPeerState = z.enum(['connected', 'dead', 'half-closed', 'peer-closed', 'closed']);
export type TcpPeerState = z.infer<typeof TcpPeerState>;
/** `dead`: bound, but the heartbeat's peer stopped answering. */
export const UdpState = z.enum(['binding', 'bound', 'dead', 'closed', 'failed']);
export type UdpState = z.infer<typeof UdpState>;

/** What every session says of itself, whatever its kind. */
const SessionBase = z.object({
  id: z.string(),
  label: z.string(),
  transport: z.enum(['tcp', 'udp']),
  /** getsockname once bound or connected. */
  local: SocketAddress.nullable(),
  family: z.enum(['IPv4', 'IPv6']).nullable(),
  /** The OS file descriptor where the platform exposes one. */
  fd: z.number().nullable(),
  /** Connected, listening or bound since (Unix µs); null before that. */
  sinceUs: z.number().nullable(),
  /** When it ended (closed or failed), Unix µs; null while it is open or opening. */
  closedAtUs: z.number().nullable(),
  stats: SessionStats,
  repeat: RepeatState.nullable(),
  /** Bytes handed to the socket that the kernel has not taken yet, and the limit. */
  writeQueue: z.object({ queuedBytes: z.number(), limitBytes: z.number() }),
  lastError: ErrorEnvelope.nullable(),
});

/** A socket's own facts: what getsockname, getpeername, fileno and gettimeout would say. */
export const TcpClientInfo = SessionBase.extend({
  kind: z.literal('tcp-client'),
  transport: z.literal('tcp'),
  state: TcpClientState,
  /** What the user asked for, as the boundary accepted it. */
  target: z.object({ host: z.string(), port: z.number() }),
  remote: SocketAddress.nullable(),
  type: z.literal('stream'),
  protocol: z.literal('tcp'),
  idleTimeoutMs: z.number(),
  idleAction: z.enum(['close', 'mark']),
  idle: z.boolean(),
  connectTimeoutMs: z.number(),
  keepAlive: z.boolean(),
  keepAliveInitialDelayMs: z.number(),
  /** Probe interval and count in force; null: the OS's defaults. */
  keepAliveIntervalMs: z.number().nullable(),
  keepAliveCount: z.number().nullable(),
  noDelay: z.boolean(),
  /** Our write side is shut (we sent FIN): true in half-closed and peer-closed. */
  writeShutdown: z.boolean(),
  heartbeat: HeartbeatState.nullable(),
  rules: RulesState.nullable(),
});
export type TcpClientInfo = z.infer<typeof TcpClientInfo>;

export const TcpServerInfo = SessionBase.extend({
  kind: z.literal('tcp-server'),
  transport: z.literal('tcp'),
  state: TcpServerState,
  /** Accepted connections still open: each is a `tcp-peer` session. */
  peerIds: z.array(z.string()),
  ...tcpServerFacts,
});
export type TcpServerInfo = z.infer<typeof TcpServerInfo>;

export const TcpPeerInfo = SessionBase.extend({
  kind: z.literal('tcp-peer'),
  transport: z.literal('tcp'),
  state: TcpPeerState,
  /** The listener that accepted it. */
  serverId: z.string(),
  remote: SocketAddress,
  ...tcpPeerFacts,
});
export type TcpPeerInfo = z.infer<typeof TcpPeerInfo>;

/** A UDP socket: bound to a local address, optionally connected to a default peer. */
export const UdpInfo = SessionBase.extend({
  kind: z.literal('udp'),
  transport: z.literal('udp'),
  state: UdpState,
  type: z.literal('dgram'),
  protocol: z.literal('udp'),
  /** The address and port asked for at bind (port 0: any). */
  bindTo: z.object({ address: z.string(), port: z.number() }),
  /** getpeername: the default peer after connect(), else null. */
  remote: SocketAddress.nullable(),
  options: UdpOptions,
  memberships: z.array(MulticastMembership),
  /** Peers seen, most recent first; at most udpPeersShown (udp-facts.ts). */
  peers: z.array(UdpPeer),
  /** Peers seen in all (the list above may hold fewer). */
  peersSeen: z.number(),
  /** The heartbeat to its destination, and the reply rules that answer each sender. */
  heartbeat: HeartbeatState.nullable(),
  rules: RulesState.nullable(),
});
export type UdpInfo = z.infer<typeof UdpInfo>;

export const SessionInfo = z.discriminatedUnion('kind', [
  TcpClientInfo,
  TcpServerInfo,
  TcpPeerInfo,
  UdpInfo,
]);
export type SessionInfo = z.infer<typeof SessionInfo>;
export type SessionState = SessionInfo['state'];

export const SessionRef = z.object({ sessionId: SessionId });

/** Zeroes the byte and packet counters of one session, or of every session when absent. */
export const ResetCountersArgs = z.object({ sessionId: SessionId.optional() });
export const ResetCountersResult = z.object({ sessions: z.number() });

/** Where a datagram goes: a UDP socket sends to any host and port. */
export const DatagramDestination = z.object({
  host: HostName,
  port: RemotePort,
});
export type DatagramDestination = z.infer<typeof DatagramDestination>;

/** Which of a server's peers get the bytes: every one, or those named. */
export const PeerTargets = z.union([
  z.literal('all'),
  z
    .array(SessionId)
    .min(1, { error: 'must name at least one peer (or be "all")' })
    .max(10_000, { error: 'names more than 10000 peers' }),
]);
export type PeerTargets = z.infer<typeof PeerTargets>;

/** Where bytes go beyond a session's own peer: for kinds that have more than one. */
const SendDestinationFields = {
  /** For a UDP socket: the datagram's destination. */
  to: DatagramDestination.optional(),
  /** For a TCP server: which accepted peers. */
  peers: PeerTargets.optional(),
};

function oneDestination(
  value: { to?: DatagramDestination | undefined; peers?: PeerTargets | undefined },
  context: z.core.$RefinementCtx,
): void {
  if (value.to !== undefined && value.peers !== undefined)
    context.addIssue({
      code: 'custom',
      path: ['peers'],
      message:
        'cannot be given together with "to" (a datagram address or a server\'s peers, not both)',
    });
}

/** Where one send goes, as the engine receives it (none: the session's own peer). */
export interface SendDestination {
  to?: DatagramDestination | undefined;
  peers?: PeerTargets | undefined;
}

/**
 * What a send does when the session's write queue has no room for it: refuse it
 * (ERR_SEND_QUEUE_FULL), or wait until the peer has read enough (a file's pieces).
 */
export const WhenQueueFull = z.enum(['refuse', 'wait'], { error: 'must be refuse or wait' });
export type WhenQueueFull = z.infer<typeof WhenQueueFull>;

export const SendArgs = z
  .object({
    sessionId: SessionId,
    payload: Payload,
    ...SendDestinationFields,
    whenFull: WhenQueueFull.default('refuse'),
  })
  .superRefine(oneDestination);
export const SendResult = z.object({ bytes: z.number() });
/** Sends still waiting for room in the session's write queue, now called off. */
export const CancelWaitingSendsResult = z.object({ cancelled: z.number() });

export const RepeatArgs = z
  .object({
    sessionId: SessionId,
    payload: Payload,
    ...SendDestinationFields,
    intervalMs: milliseconds(1, 86_400_000),
    /** 0: until stopped. */
    count: z
      .number({ error: 'must be a number' })
      .int({ error: 'must be a whole number' })
      .min(0, { error: 'must be 0 (until stopped) or more' })
      .max(100_000_000, { error: 'must be at most 100000000' })
      .default(0),
  })
  .superRefine(oneDestination);

/** The bytes a payload expands to now, for the composer's preview (counters not advanced). */
export const PreviewArgs = z.object({ sessionId: SessionId.optional(), payload: Payload });
export const PreviewResult = z.object({ size: z.number(), base64: z.string() });

/** The session commands: what each takes and returns. */
export const sessionsCommands = {
  'tcp.connect': { args: TcpConnectArgs, result: TcpClientInfo },
  'session.list': { args: z.object({}), result: z.array(SessionInfo) },
  'session.info': { args: SessionRef, result: SessionInfo },
  'session.send': { args: SendArgs, result: SendResult },
  'session.cancelWaitingSends': { args: SessionRef, result: CancelWaitingSendsResult },
  'session.repeat': { args: RepeatArgs, result: SessionInfo },
  'session.stopRepeat': { args: SessionRef, result: SessionInfo },
  'session.shutdown': { args: SessionRef, result: SessionInfo },
  'session.close': { args: SessionRef, result: SessionInfo },
  'session.reconnect': { args: SessionRef, result: SessionInfo },
  'session.remove': { args: SessionRef, result: z.object({ removed: z.boolean() }) },
  'session.resetCounters': { args: ResetCountersArgs, result: ResetCountersResult },
  'payload.preview': { args: PreviewArgs, result: PreviewResult },
  'session.heartbeat': { args: HeartbeatArgs, result: SessionInfo },
  'session.rules': { args: RulesArgs, result: SessionInfo },
} as const;
