import { z } from 'zod';
import { Family, HostName, IpAddress, Port } from './fields';
import { SocketAddress } from './log';
import { ErrorEnvelope } from '../errors';
import { Payload } from './payload';

const milliseconds = (min: number, max: number) =>
  z
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number of milliseconds' })
    .min(min, { error: `must be at least ${min} ms` })
    .max(max, { error: `must be at most ${max} ms` });

export const SessionId = z.string().min(1, { error: 'must not be empty' }).max(64);

export const TcpConnectArgs = z.object({
  host: HostName,
  port: z
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number' })
    .min(1, { error: 'must be from 1 to 65535' })
    .max(65535, { error: 'must be from 1 to 65535' }),
  family: Family.default('any'),
  /** Bind to this local address first (empty: let the OS choose). */
  localAddress: z.union([z.literal(''), IpAddress]).optional(),
  /** Bind to this local port first (0 or absent: any). */
  localPort: Port.optional(),
  connectTimeoutMs: milliseconds(100, 300_000).default(10_000),
  keepAlive: z.boolean().default(false),
  keepAliveInitialDelayMs: milliseconds(0, 7_200_000).default(30_000),
  noDelay: z.boolean().default(true),
  /** 0: no idle timeout (the seed's settimeout(None)). */
  idleTimeoutMs: milliseconds(0, 86_400_000).default(0),
  /** What the idle timeout does: close the session, or only mark it idle. */
  idleAction: z.enum(['close', 'mark']).default('mark'),
  label: z.string().max(80).optional(),
});
export type TcpConnectArgs = z.output<typeof TcpConnectArgs>;

export const SessionState = z.enum(['connecting', 'connected', 'half-closed', 'closed', 'failed']);
export type SessionState = z.infer<typeof SessionState>;

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
});

/** A socket's own facts: what getsockname, getpeername, fileno and gettimeout would say. */
export const SessionInfo = z.object({
  id: z.string(),
  kind: z.literal('tcp-client'),
  label: z.string(),
  state: SessionState,
  /** What the user asked for, as the boundary accepted it. */
  target: z.object({ host: z.string(), port: z.number() }),
  local: SocketAddress.nullable(),
  remote: SocketAddress.nullable(),
  family: z.enum(['IPv4', 'IPv6']).nullable(),
  type: z.literal('stream'),
  protocol: z.literal('tcp'),
  /** The OS file descriptor where the platform exposes one. */
  fd: z.number().nullable(),
  idleTimeoutMs: z.number(),
  idleAction: z.enum(['close', 'mark']),
  idle: z.boolean(),
  connectTimeoutMs: z.number(),
  keepAlive: z.boolean(),
  keepAliveInitialDelayMs: z.number(),
  noDelay: z.boolean(),
  connectedSinceUs: z.number().nullable(),
  /** When the connection ended (closed or failed); null while it is open or connecting. */
  closedAtUs: z.number().nullable(),
  writeShutdown: z.boolean(),
  stats: SessionStats,
  repeat: RepeatState.nullable(),
  lastError: ErrorEnvelope.nullable(),
});
export type SessionInfo = z.infer<typeof SessionInfo>;

export const SessionRef = z.object({ sessionId: SessionId });

export const SendArgs = z.object({ sessionId: SessionId, payload: Payload });
export const SendResult = z.object({ bytes: z.number() });

export const RepeatArgs = z.object({
  sessionId: SessionId,
  payload: Payload,
  intervalMs: milliseconds(1, 86_400_000),
  /** 0: until stopped. */
  count: z
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number' })
    .min(0, { error: 'must be 0 (until stopped) or more' })
    .max(100_000_000, { error: 'must be at most 100000000' })
    .default(0),
});
