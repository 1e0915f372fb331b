import type { HeartbeatSettings } from '@shared/contract/heartbeat';
import type { Payload } from '@shared/contract/payload';
import type { ReplyRule } from '@shared/contract/rules';
import type {
  SendDestination,
  SessionInfo,
  SessionKind,
  TcpClientInfo,
  TcpConnectArgs,
  UdpInfo,
  WhenQueueFull,
} from '@shared/contract/sessions';
import { ErrorCode, SockscopeError } from '@shared/errors';
import type { EventBus } from '../log/event-bus';
import type { Recorder } from '../log/recorder';
import { sessionUpdateKey } from '../log/recorder';
import { PayloadMacros, compile } from './payload-macros';
import { isAutomatable } from './session';
import { roomInWriteQueue } from './write-queue';
import type { Automatable, Session } from './session';
import { TcpClientSession, keepAliveProbesSupported } from './tcp-client';
import { quoteInput } from '@shared/quote';
import type { UdpBindArgs } from '@shared/contract/udp';
import { UdpSession } from './udp-session';
import type { TcpListenArgs } from '@shared/contract/tcp-server';
import type { TcpServerInfo } from '@shared/contract/sessions';
import type { TcpPeerSession } from './tcp-peer';
import { TcpServerSession } from './tcp-server';

/** How often counters and rates are refreshed for the UI. */
const statsIntervalMs = 500;

/**
 * The most sessions the engine holds at once, closed ones included (each holds
 * its log identity and, while open, a socket and a read buffer).
 */
export const maxSessions = 2000;

/** Text sent in a charset makes that the session's charset: its records are read in it. */
function noteCharset(session: Session, payload: Payload): void {
  if (payload.format === 'text') session.charset = payload.charset;
}

/** A heartbeat's own destination is for UDP sockets; every other kind beats to its peer. */
function refuseBeatDestination(kind: SessionKind, settings: HeartbeatSettings): void {
  if (settings.to === undefined || kind === 'udp') return;
  throw new SockscopeError(
    ErrorCode.sessionUnsupported,
    `heartbeat.to: a heartbeat destination is for UDP sockets; a ${kind} session beats to its own peer`,
    { kind, field: 'heartbeat.to', reason: 'heartbeat-to' },
  );
}

/** Every session the engine owns, by id; the one place sessions are created and closed. */
export class Sessions {
  /** Sends waiting for room in a session's write queue, by session, so they can be called off. */
  private readonly waitingSends = new Map<string, Set<AbortController>>();
  private readonly sessions = new Map<string, Session>();
  private nextId = 1;
  private ticker: NodeJS.Timeout | null = null;
  private closed = false;
  readonly macros = new PayloadMacros();

  constructor(
    private readonly recorder: Recorder,
    private readonly bus: EventBus,
  ) {
    // Heartbeat watchdogs listen after the recorder, on the log's own copy of the bytes.
    recorder.inboundTaps.add((from, record, peer) => {
      this.sessions.get(from.id)?.inbound?.(record.bytes, peer);
    });
  }

  /** Replaces a session's reply rules; every reply is read now, so a bad one is refused here. */
  rules(sessionId: string, mode: 'first' | 'all', rules: readonly ReplyRule[]): SessionInfo {
    const session = this.automatable(sessionId, 'answer with reply rules on');
    session.setRules(mode, rules, (template) => this.macros.expand(sessionId, template));
    return session.info();
  }

  /** Attaches (or with null removes) a heartbeat; its payload is checked now. */
  heartbeat(sessionId: string, settings: HeartbeatSettings | null): SessionInfo {
    const session = this.automatable(sessionId, 'run a heartbeat on');
    if (settings !== null) refuseBeatDestination(session.kind, settings);
    session.setHeartbeat(settings, (template, seq) => this.macros.expand(sessionId, template, seq));
    return session.info();
  }

  async connectTcp(options: TcpConnectArgs): Promise<TcpClientInfo> {
    this.assertOpen();
    this.assertRoom();
    if (
      !keepAliveProbesSupported &&
      (options.keepAliveIntervalMs !== undefined || options.keepAliveCount !== undefined)
    )
      throw new SockscopeError(
        ErrorCode.sessionUnsupported,
        `keepAliveIntervalMs: this runtime (Node ${process.versions.node}) sets only the keep-alive idle time; probe interval and count stay the OS's`,
        {
          field:
            options.keepAliveIntervalMs !== undefined ? 'keepAliveIntervalMs' : 'keepAliveCount',
        },
      );
    if (options.heartbeat !== undefined) refuseBeatDestination('tcp-client', options.heartbeat);
    const id = `tcp-${this.nextId++}`;
    const session = new TcpClientSession(id, options, this.recorder);
    // Read before connecting, so a bad heartbeat refuses the connect instead of half-applying.
    if (options.heartbeat !== undefined)
      session.setHeartbeat(options.heartbeat, (template, seq) =>
        this.macros.expand(id, template, seq),
      );
    this.add(session);
    await session.connect();
    return session.info();
  }

  /** Binds a UDP socket; a bind that fails leaves no session behind and says why. */
  async bindUdp(options: UdpBindArgs): Promise<UdpInfo> {
    this.assertOpen();
    this.assertRoom();
    const id = `udp-${this.nextId++}`;
    const session = new UdpSession(id, options, this.recorder);
    // Read before binding, so a bad heartbeat refuses the bind instead of half-applying.
    if (options.heartbeat !== undefined)
      session.setHeartbeat(options.heartbeat, (template, seq) =>
        this.macros.expand(id, template, seq),
      );
    this.add(session);
    try {
      await session.bind();
    } catch (error) {
      await this.remove(session.id);
      throw error;
    }
    return session.info();
  }

  /** Starts a listener; a listen that fails (address in use…) leaves no session behind. */
  async listenTcp(options: TcpListenArgs): Promise<TcpServerInfo> {
    this.assertOpen();
    const id = `srv-${this.nextId++}`;
    const server = new TcpServerSession(id, options, this.recorder, {
      add: (peer: TcpPeerSession) => this.add(peer),
      drop: (peerId: string) => void this.remove(peerId),
    });
    // Read before listening, so a bad heartbeat refuses the listen instead of half-applying.
    if (options.heartbeat !== undefined)
      server.setHeartbeat(options.heartbeat, (template, seq) =>
        this.macros.expand(id, template, seq),
      );
    await server.listen();
    this.add(server);
    return server.info();
  }

  /** A session that must be a TCP server. */
  tcpServer(sessionId: string, action = 'serve clients'): TcpServerSession {
    return this.ofKind(sessionId, TcpServerSession, 'a TCP server', action);
  }

  list(): SessionInfo[] {
    return [...this.sessions.values()].map((session) => session.info());
  }

  get(sessionId: string): Session {
    const session = this.sessions.get(sessionId);
    if (session === undefined)
      throw new SockscopeError(
        ErrorCode.sessionNotFound,
        `No session with id ${quoteInput(sessionId)}`,
        {
          sessionId,
        },
      );
    return session;
  }

  /** A session that must be a TCP client (half-close and reconnect are theirs alone). */
  tcpClient(sessionId: string, action: string): TcpClientSession {
    return this.ofKind(sessionId, TcpClientSession, 'a TCP client', action);
  }

  /** A session heartbeats and reply rules attach to; `action` says what was asked of it. */
  automatable(sessionId: string, action: string): Session & Automatable {
    const session = this.get(sessionId);
    if (isAutomatable(session)) return session;
    throw new SockscopeError(
      ErrorCode.sessionUnsupported,
      `Cannot ${action} ${sessionId}: a ${session.kind} session takes no heartbeat or reply rules`,
      { sessionId, kind: session.kind },
    );
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

  async send(
    sessionId: string,
    payload: Payload,
    destination: SendDestination,
    whenFull: WhenQueueFull = 'refuse',
  ): Promise<number> {
    const session = this.get(sessionId);
    const bytes = this.macros.expand(sessionId, compile(payload));
    noteCharset(session, payload);
    if (whenFull === 'wait')
      await this.cancellable(sessionId, (cancel) =>
        roomInWriteQueue(session, bytes.byteLength, destination, cancel),
      );
    return session.send(bytes, destination);
  }

  /**
   * Runs a send that may wait for room (`work` is given the cancel signal) so that
   * `cancelWaitingSends` can call it off: a file's piece, or a file's run of datagrams.
   */
  async cancellable<T>(sessionId: string, work: (cancel: AbortSignal) => Promise<T>): Promise<T> {
    const waiting = new AbortController();
    const ofSession = this.waitingSends.get(sessionId) ?? new Set();
    this.waitingSends.set(sessionId, ofSession.add(waiting));
    try {
      return await work(waiting.signal);
    } finally {
      ofSession.delete(waiting);
      if (ofSession.size === 0) this.waitingSends.delete(sessionId);
    }
  }

  /** Calls off the session's sends that wait for room (a file send cancelled); how many there were. */
  cancelWaitingSends(sessionId: string): number {
    this.get(sessionId);
    const waiting = this.waitingSends.get(sessionId);
    if (waiting === undefined) return 0;
    for (const send of waiting) send.abort();
    return waiting.size;
  }

  /** The bytes a payload would send now (macros filled in, counters not advanced). */
  preview(sessionId: string | undefined, payload: Payload): Uint8Array {
    if (sessionId !== undefined) this.get(sessionId);
    return this.macros.preview(sessionId, compile(payload));
  }

  repeat(
    sessionId: string,
    payload: Payload,
    destination: SendDestination,
    intervalMs: number,
    count: number,
  ): SessionInfo {
    const session = this.get(sessionId);
    const template = compile(payload);
    const problem = session.sendProblem(destination);
    if (problem !== null) throw problem;
    noteCharset(session, payload);
    let seq = 0;
    // Expanded per send: each copy has its own counter, time and checksum.
    session.repeat.start(
      () => session.send(this.macros.expand(sessionId, template, ++seq), destination),
      intervalMs,
      count,
    );
    return session.info();
  }

  /** Zeroes one session's counters (or every session's); the page hears it at the next flush. */
  resetCounters(sessionId?: string): number {
    const chosen = sessionId === undefined ? [...this.sessions.values()] : [this.get(sessionId)];
    for (const session of chosen) {
      session.resetCounters();
      this.recorder.changed(session);
    }
    return chosen.length;
  }

  async remove(sessionId: string): Promise<boolean> {
    const session = this.sessions.get(sessionId);
    if (session === undefined) return false;
    await session.close();
    this.sessions.delete(sessionId);
    this.macros.forget(sessionId);
    // The removal is the session's last word: no state update may follow it.
    this.bus.emit({ type: 'session.removed', sessionId }, { ends: sessionUpdateKey(sessionId) });
    // A server's connections go with it; a connection removed alone leaves its server's list.
    if (session instanceof TcpServerSession)
      for (const peerId of session.peerIds()) await this.remove(peerId);
    else if (session.kind === 'tcp-peer') {
      const server = this.sessions.get((session as TcpPeerSession).serverId);
      if (server instanceof TcpServerSession) server.forget(sessionId);
    }
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

  /** Refuses a new session once the engine holds as many as it allows. */
  private assertRoom(): void {
    if (this.sessions.size < maxSessions) return;
    throw new SockscopeError(
      ErrorCode.tooManySessions,
      `Cannot open another session: the engine holds ${this.sessions.size}, the most it allows; remove closed sessions first`,
      { limit: maxSessions },
    );
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
