import type { tcpServerCommands } from '@shared/contract/tcp-server-commands';
import type { HandlersFor } from '../handlers';
import type { Sessions } from './sessions';

/** The TCP server commands: listen, change a running server, end some of its connections. */
export function tcpServerHandlers(sessions: Sessions): HandlersFor<keyof typeof tcpServerCommands> {
  return {
    'tcp.listen': (args) => sessions.listenTcp(args),
    'tcp.server.configure': async ({ sessionId, ...change }) => {
      const server = sessions.tcpServer(sessionId);
      server.configure(
        Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined)),
      );
      return server.info();
    },
    'tcp.server.disconnect': async ({ sessionId, peers, reset }) => ({
      disconnected: sessions.tcpServer(sessionId).disconnect(peers, reset),
    }),
  };
}
