import { toBase64 } from '@shared/codecs/payload';
import type { sessionsCommands } from '@shared/contract/sessions';
import type { HandlersFor } from '../handlers';
import type { Sessions } from './sessions';

/** The session commands, answered by the sessions the engine owns. */
export function sessionsHandlers(sessions: Sessions): HandlersFor<keyof typeof sessionsCommands> {
  return {
    'tcp.connect': (args) => sessions.connectTcp(args),
    'session.list': async () => sessions.list(),
    'session.info': async ({ sessionId }) => sessions.get(sessionId).info(),
    'session.send': async ({ sessionId, payload, to, peers, whenFull }) => ({
      bytes: await sessions.send(sessionId, payload, { to, peers }, whenFull),
    }),
    'session.cancelWaitingSends': async ({ sessionId }) => ({
      cancelled: sessions.cancelWaitingSends(sessionId),
    }),
    'session.repeat': async ({ sessionId, payload, to, peers, intervalMs, count }) =>
      sessions.repeat(sessionId, payload, { to, peers }, intervalMs, count),
    'session.stopRepeat': async ({ sessionId }) => {
      const session = sessions.get(sessionId);
      session.repeat.stop();
      return session.info();
    },
    'session.shutdown': async ({ sessionId }) => {
      const session = sessions.tcpClient(sessionId, 'half-close');
      session.shutdown();
      return session.info();
    },
    'session.close': async ({ sessionId }) => {
      const session = sessions.get(sessionId);
      await session.close();
      return session.info();
    },
    'session.reconnect': async ({ sessionId }) => {
      const session = sessions.tcpClient(sessionId, 'reconnect');
      await session.reconnect();
      return session.info();
    },
    'session.remove': async ({ sessionId }) => ({ removed: await sessions.remove(sessionId) }),
    'session.resetCounters': async ({ sessionId }) => ({
      sessions: sessions.resetCounters(sessionId),
    }),
    'session.heartbeat': async ({ sessionId, heartbeat }) =>
      sessions.heartbeat(sessionId, heartbeat),
    'session.rules': async ({ sessionId, mode, rules }) => sessions.rules(sessionId, mode, rules),
    'payload.preview': async ({ sessionId, payload }) => {
      const bytes = sessions.preview(sessionId, payload);
      return { size: bytes.byteLength, base64: toBase64(bytes) };
    },
  };
}
