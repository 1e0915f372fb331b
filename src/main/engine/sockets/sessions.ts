import type { Payload } from '@shared/contract/payload';
import type {
  SendDestination,
  SessionInfo,
  TcpClientInfo,
  TcpConnectArgs,
  UdpInfo,
} from '@shared/contract/sessions';
import { encodePayload } from '@shared/codecs/payload';
import { ErrorCode, SockscopeError } from '@shared/errors';
import { encodeText } from '../charset';
import type { EventBus } from '../log/event-bus';
import type { Recorder } from '../log/recorder';
import { sessionUpdateKey } from '../log/recorder';
import type { Session } from './session';
import { TcpClientSession } from './tcp-client';
import type { UdpBindArgs } from '@shared/contract/udp';
import { UdpSession } from './udp-session';

/** How often counters and rates are refreshed for the UI. */
const statsIntervalMs = 500;

/** The payload as bytes, or a coded error naming the field that is wrong. */
export function payloadBytes(payload: Payload): Uint8Array {
  return encodePayload(payload, encodeText);
}

/** Text sent in a charset makes that the session's charset: its records are read in it. */
function noteCharset(session: Session, payload: Payload): void {
  if (payload.format === 'text') session.charset = payload.charset;
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
    this.add(session);
    await session.connect();
    return session.info();
  }

  /** Binds a UDP socket; a bind that fails leaves no session behind and says why. */
  async bindUdp(options: UdpBindArgs): Promise<UdpInfo> {
    this.assertOpen();
    const session = new UdpSession(`udp-${this.nextId++}`, options, this.recorder);
    this.add(session);
    try {
      await session.bind();
    } catch (error) {
      await this.remove(session.id);
      throw error;
    }
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

  /** A session that must be a TCP client (half-close and reconnect are theirs alone). */
  tcpClient(sessionId: string, action: string): TcpClientSession {
    return this.ofKind(sessionId, TcpClientSession, 'a TCP client', action);
  }

  /** A session that must be of the kind `type` implements; `action` says what was asked of it. */
  ofKind<T extends Session>(
    sessionId: string,
    type: abstract new (...args: never[]) => T,
    kindName: string,
    action: string,
  ): T {
    const session = this.get(sessionId);
    if (session instanceof type) return session;
    throw new SockscopeError(
      ErrorCode.sessionUnsupported,
      `Cannot ${action} ${sessionId}: only ${kindName} can (it is a ${session.kind})`,
      { sessionId, kind: session.kind },
    );
  }

  async send(sessionId: string, payload: Payload, destination: SendDestination): Promise<number> {
    const session = this.get(sessionId);
    const bytes = payloadBytes(payload);
    noteCharset(session, payload);
    return session.send(bytes, destination);
  }

  repeat(
    sessionId: string,
    payload: Payload,
    destination: SendDestination,
    intervalMs: number,
    count: number,
  ): SessionInfo {
    const session = this.get(sessionId);
    const bytes = payloadBytes(payload);
    const problem = session.sendProblem(destination);
    if (problem !== null) throw problem;
    noteCharset(session, payload);
    session.repeat.start(() => session.send(bytes, destination), intervalMs, count);
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

  private add(session: Session): void {
    this.sessions.set(session.id, session);
    this.startTicker();
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
