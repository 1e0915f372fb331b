import { z } from 'zod';
import { PeerTargets, SessionId, TcpServerInfo } from './sessions';
import { TcpListenArgs, TcpServerBehaviour } from './tcp-server';

/** Changes what a running server does; fields left out stay as they are. */
export const TcpServerConfigureArgs = TcpServerBehaviour.partial().extend({ sessionId: SessionId });
export type TcpServerConfigureArgs = z.output<typeof TcpServerConfigureArgs>;

/** Ends some of a server's connections: FIN by default, RST with `reset`. */
export const TcpServerDisconnectArgs = z.object({
  sessionId: SessionId,
  peers: PeerTargets,
  reset: z.boolean().default(false),
});
export const TcpServerDisconnectResult = z.object({
  /** Connections that were open and are now ending. */
  disconnected: z.number(),
});

export const tcpServerCommands = {
  'tcp.listen': { args: TcpListenArgs, result: TcpServerInfo },
  'tcp.server.configure': { args: TcpServerConfigureArgs, result: TcpServerInfo },
  'tcp.server.disconnect': { args: TcpServerDisconnectArgs, result: TcpServerDisconnectResult },
} as const;
