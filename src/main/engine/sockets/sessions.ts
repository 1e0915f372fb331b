import type { Payload } from '@shared/contract/payload';
import type {
  SendDestination,
  SessionInfo,
  TcpClientInfo,
  TcpConnectArgs,
} from '@shared/contract/sessions';
import { encodePayload } from '@shared/codecs/payload';
import { ErrorCode, SockscopeError } from '@shared/errors';
import { encodeText } from '../charset';
import type { EventBus } from '../log/event-bus';
import type { Recorder } from '../log/recorder';
import { sessionUpdateKey } from '../log/recorder';
import { TcpClientSession } from './tcp-client';

/** How often counters and rates are refreshed for the UI. */
const statsIntervalMs = 500;

type Session = TcpClientSession;

/** The payload as bytes, or a coded error naming the field that is wrong. */
export function payloadBytes(payload: Payload): Uint8Array {
  return encodePayload(payload, encodeText);
}

/** A TCP client has one peer: a datagram address or a server's peer list means nothing to it. */
function assertOwnPeer(session: Session, destination: SendDestination): void {
  const field =
    destination.to !== undefined ? 'to' : destination.peers !== undefined ? 'peers' : null;
  if (field === null) return;
  throw new SockscopeError(
    ErrorCode.sessionUnsupported,
    `${field}: a ${session.info().kind} session sends only to its own peer` +
      (field === 'to'
        ? ' (a destination address is for UDP sockets)'
        : ' (peers are for TCP servers)'),
    { sessionId: session.id, field },
  );
}

/** Every session the engine owns, by id; the one place sessions are created and closed. */
export class Sessions {
  private readonly sessions = new Map<string, Session>();
  private nextId = 1;
  private ticker: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly recorder: Recorder,
    private readonly bus: EventBus,
  ) {}

  async connectTcp(options: TcpConnectArgs): Promise<TcpClientInfo> {
    this.assertOpen();
    const session = new TcpClientSession(`tcp-${this.nextId++}`, options, this.recorder);
    this.sessions.set(session.id, session);
    this.startTicker();
    await session.connect();
    return session.info();
  }

  list(): SessionInfo[] {
    return [...this.sessions.values()].map((session) => session.info());
  }

  get(sessionId: string): Session {
    const session = this.sessions.get(sessionId);
    if (session === undefined)
      throw new SockscopeError(ErrorCode.sessionNotFound, `No session with id "${sessionId}"`, {
        sessionId,
      });
    return session;
  }

  async send(sessionId: string, payload: Payload, destination: SendDestination): Promise<number> {
    const session = this.get(sessionId);
    assertOwnPeer(session, destination);
    return session.send(payloadBytes(payload));
  }

  repeat(
    sessionId: string,
    payload: Payload,
    destination: SendDestination,
    intervalMs: number,
    count: number,
  ): SessionInfo {
    const session = this.get(sessionId);
    assertOwnPeer(session, destination);
    session.repeat(payloadBytes(payload), intervalMs, count);
    return session.info();
  }

  async remove(sessionId: string): Promise<boolean> {
    const session = this.sessions.get(sessionId);
    if (session === undefined) return false;
    await session.close();
    this.sessions.delete(sessionId);
    // The removal is the session's last word: no state update may follow it.
    this.bus.emit({ type: 'session.removed', sessionId }, { ends: sessionUpdateKey(sessionId) });
    if (this.sessions.size === 0) this.stopTicker();
    return true;
  }

  async closeAll(): Promise<void> {
    this.closed = true;
    this.stopTicker();
    await Promise.all([...this.sessions.values()].map((session) => session.close()));
  }

  private assertOpen(): void {
    if (this.closed) throw new SockscopeError(ErrorCode.engineClosed, 'The engine has shut down');
  }

  private startTicker(): void {
    if (this.ticker !== null) return;
    this.ticker = setInterval(() => {
      for (const session of this.sessions.values()) {
        if (session.tick()) this.recorder.changed(session);
      }
    }, statsIntervalMs);
    this.ticker.unref();
  }

  private stopTicker(): void {
    if (this.ticker !== null) clearInterval(this.ticker);
    this.ticker = null;
  }
}
