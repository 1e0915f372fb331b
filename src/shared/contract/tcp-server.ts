import { z } from 'zod';
import { IpAddress, Port } from './fields';
import { HeartbeatSettings, HeartbeatState } from './heartbeat';
import { Payload } from './payload';
import { RulesState } from './rules';

// A TCP server's own fields: how it listens and how it serves its clients. The
// server's and its peers' SessionInfo shapes (sessions.ts) carry these facts;
// the commands that act on a server are in tcp-server-commands.ts.

/**
 * How a server serves each client. `interactive`: connections stay open and
 * the user sends by hand. `echo`: every chunk received is sent back until the
 * client closes. `request-answer`: one request is read, the answer is sent,
 * then the connection is closed.
 */
export const TcpServerMode = z.enum(['interactive', 'echo', 'request-answer'], {
  error: 'must be interactive, echo or request-answer',
});
export type TcpServerMode = z.infer<typeof TcpServerMode>;

/** Where one request ends in `request-answer` mode. */
export const RequestEnd = z.discriminatedUnion(
  'by',
  [
    /** At the first line feed (so both \n and \r\n end it). */
    z.object({ by: z.literal('line') }),
    /** Once this many bytes have arrived. */
    z.object({
      by: z.literal('bytes'),
      count: z
        .number({ error: 'must be a number' })
        .int({ error: 'must be a whole number' })
        .min(1, { error: 'must be from 1 to 16777216 bytes' })
        .max(16 * 1024 * 1024, { error: 'must be from 1 to 16777216 bytes' }),
    }),
    /** Once the client has been quiet this long after sending something. */
    z.object({
      by: z.literal('quiet'),
      ms: z
        .number({ error: 'must be a number' })
        .int({ error: 'must be a whole number of milliseconds' })
        .min(1, { error: 'must be from 1 to 600000 ms' })
        .max(600_000, { error: 'must be from 1 to 600000 ms' }),
    }),
  ],
  { error: 'must end by line, bytes or quiet' },
);
export type RequestEnd = z.infer<typeof RequestEnd>;

const idleKickSeconds = z
  .number({ error: 'must be a number' })
  .int({ error: 'must be a whole number of seconds' })
  .min(0, { error: 'must be 0 (never) or more seconds' })
  .max(86_400, { error: 'must be at most 86400 seconds' });

const maxClients = z
  .number({ error: 'must be a number' })
  .int({ error: 'must be a whole number' })
  .min(0, { error: 'must be 0 (no limit) or more' })
  .max(100_000, { error: 'must be at most 100000' });

/** What can change while a server runs. */
export const TcpServerBehaviour = z.object({
  mode: TcpServerMode,
  requestEnd: RequestEnd,
  /** The answer of `request-answer` mode; null: close without answering. */
  answer: Payload.nullable(),
  /** Close clients idle longer than this; 0: never. */
  idleKickSeconds,
  /** Refuse connections beyond this many clients; 0: no limit. */
  maxClients,
});
export type TcpServerBehaviour = z.infer<typeof TcpServerBehaviour>;

export const TcpListenArgs = z.object({
  /** `0.0.0.0`, `::` (dual-stack unless ipv6Only), or one of this machine's addresses. */
  host: IpAddress.default('0.0.0.0'),
  /** 0: any free port (the granted one is shown). */
  port: Port,
  /** For `::`: accept IPv6 only (IPV6_V6ONLY), not IPv4 too. */
  ipv6Only: z.boolean().default(false),
  backlog: z
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number' })
    .min(1, { error: 'must be from 1 to 65535' })
    .max(65535, { error: 'must be from 1 to 65535' })
    .default(511),
  mode: TcpServerMode.default('interactive'),
  requestEnd: RequestEnd.default({ by: 'line' }),
  answer: Payload.nullable().default(null),
  idleKickSeconds: idleKickSeconds.default(0),
  maxClients: maxClients.default(0),
  /** Applied to every accepted connection. */
  keepAlive: z.boolean().default(false),
  noDelay: z.boolean().default(true),
  label: z.string().max(80).optional(),
  /** A heartbeat on each client, from its accept on (onDead: mark or close). */
  heartbeat: HeartbeatSettings.optional(),
});
export type TcpListenArgs = z.output<typeof TcpListenArgs>;

/**
 * A server's heartbeat: the settings in force on each client, and a summary over
 * the open clients (each client's own figures are in its TcpPeerInfo).
 */
export const ServerHeartbeatState = z.object({
  intervalMs: z.number(),
  when: z.enum(['always', 'quiet']),
  expecting: z.boolean(),
  missedBeforeDead: z.number(),
  onDead: z.enum(['mark', 'close', 'reconnect']),
  /** Open clients the heartbeat runs on. */
  clients: z.number(),
  /** Of those, how many are marked dead now. */
  dead: z.number(),
  /** Clients the heartbeat found dead since it was attached (closed ones included). */
  deadTotal: z.number(),
  /** Beats sent and replies received over the open clients. */
  sent: z.number(),
  replies: z.number(),
});
export type ServerHeartbeatState = z.infer<typeof ServerHeartbeatState>;

/** A server's facts beyond the common base (see TcpServerInfo). */
export const tcpServerFacts = {
  /** What the user asked for, as the boundary accepted it (port 0 stays 0 here). */
  requested: z.object({ host: z.string(), port: z.number() }),
  ipv6Only: z.boolean(),
  backlog: z.number(),
  mode: TcpServerMode,
  requestEnd: RequestEnd,
  answer: Payload.nullable(),
  idleKickSeconds: z.number(),
  maxClients: z.number(),
  keepAlive: z.boolean(),
  noDelay: z.boolean(),
  /** Clients connected now. */
  clientsNow: z.number(),
  /** Clients accepted since listening began. */
  clientsTotal: z.number(),
  /** Connections refused because the server had its maximum of clients. */
  refusals: z.number(),
  /** The heartbeat each client gets; null: none. */
  heartbeat: ServerHeartbeatState.nullable(),
  /** The reply rules applied to each client's data (hit counters over all clients). */
  rules: RulesState.nullable(),
};

/** An accepted client's facts beyond the common base (see TcpPeerInfo). */
export const tcpPeerFacts = {
  keepAlive: z.boolean(),
  noDelay: z.boolean(),
  /** The last time bytes went either way (Unix µs): the idle time is now minus this. */
  lastActivityUs: z.number(),
  /** How it ended, once closed: by the client, by us (FIN), reset, kicked idle, found dead. */
  endedBy: z
    .enum(['peer', 'us', 'reset-by-us', 'reset-by-peer', 'idle-kick', 'error', 'dead'])
    .nullable(),
  /** This client's own heartbeat (the server's settings); null when the server has none. */
  heartbeat: HeartbeatState.nullable(),
};

/** A server's connections are named `<server id>.<n>`. */
export function peerIdOf(serverId: string, n: number): string {
  return `${serverId}.${n}`;
}

/**
 * Whether a record of `sessionId` belongs under `filterId`: the session itself,
 * or one of its connections when `filterId` is a server's.
 */
export function sessionOrItsPeer(sessionId: string, filterId: string): boolean {
  return (
    sessionId === filterId ||
    (sessionId.length > filterId.length &&
      sessionId.startsWith(filterId) &&
      sessionId.charCodeAt(filterId.length) === 0x2e)
  );
}
