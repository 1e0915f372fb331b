import type { udpCommands } from '@shared/contract/udp';
import type { HandlersFor } from '../handlers';
import { listInterfaces } from './network-interfaces';
import { compile } from './payload-macros';
import type { Sessions } from './sessions';
import { UdpSession } from './udp-session';
import { roomInWriteQueue } from './write-queue';

/** A session that must be a UDP socket. */
function udpSession(sessions: Sessions, sessionId: string, action: string): UdpSession {
  return sessions.ofKind(sessionId, UdpSession, 'a UDP socket', action);
}

/** The UDP commands, answered by the UDP sockets the engine owns. */
export function udpHandlers(sessions: Sessions): HandlersFor<keyof typeof udpCommands> {
  return {
    'udp.bind': (args) => sessions.bindUdp(args),
    'udp.connect': async ({ sessionId, host, port }) => {
      const session = udpSession(sessions, sessionId, 'connect');
      await session.connect({ host, port });
      return session.info();
    },
    'udp.disconnect': async ({ sessionId }) => {
      const session = udpSession(sessions, sessionId, 'disconnect');
      session.disconnect();
      return session.info();
    },
    'udp.setOptions': async ({ sessionId, ...changes }) => {
      const session = udpSession(sessions, sessionId, 'set UDP options on');
      session.setOptions(changes);
      return session.info();
    },
    'udp.join': async ({ sessionId, ...membership }) => {
      const session = udpSession(sessions, sessionId, 'join a multicast group on');
      session.join(membership);
      return session.info();
    },
    'udp.leave': async ({ sessionId, ...membership }) => {
      const session = udpSession(sessions, sessionId, 'leave a multicast group on');
      session.leave(membership);
      return session.info();
    },
    'udp.leaveAll': async ({ sessionId }) => {
      const session = udpSession(sessions, sessionId, 'leave multicast groups on');
      session.leaveAll();
      return session.info();
    },
    'udp.sendDatagrams': async ({ sessionId, payload, to, datagramBytes, pacingMs, whenFull }) => {
      const session = udpSession(sessions, sessionId, 'send datagrams on');
      // One expansion: the file's bytes are split into datagrams, not expanded per piece.
      const bytes = sessions.macros.expand(sessionId, compile(payload));
      if (whenFull === 'refuse')
        return session.sendDatagrams(bytes, { to }, datagramBytes, pacingMs);
      // Each datagram waits for room; a cancel stops the run before its next datagram.
      return sessions.cancellable(sessionId, (cancel) =>
        session.sendDatagrams(bytes, { to }, datagramBytes, pacingMs, (piece) =>
          roomInWriteQueue(session, piece, { to }, cancel),
        ),
      );
    },
    'udp.interfaces': async () => listInterfaces(),
  };
}
