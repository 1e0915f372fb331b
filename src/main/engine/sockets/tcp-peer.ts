import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { PayloadTemplate } from '@shared/codecs/template';
import type { HeartbeatSettings } from '@shared/contract/heartbeat';
import type { MessageParams, SessionEventKind, SocketAddress } from '@shared/contract/log';
import type { Charset } from '@shared/contract/payload';
import type { SendDestination, TcpPeerInfo, TcpPeerState } from '@shared/contract/sessions';
import type { RequestEnd, TcpServerMode } from '@shared/contract/tcp-server';
import { ErrorCode, SockscopeError } from '@shared/errors';
import { nowUs } from '../clock';
import { Heartbeat } from './heartbeat';
import type { HeartbeatHost } from './heartbeat';
import { RateMeter } from './rate-meter';
import { RepeatTimer } from './repeat-timer';
import type { Session } from './session';
import type { SessionSink } from './session-sink';
import { errorParams, socketError } from './socket-errors';
import { formatAddress } from '@shared/endpoint';
import { fileDescriptor, ownPeerOnly } from './tcp-client';
import { WriteQueue } from './write-queue';

/** What a connection asks of the server that accepted it, on every chunk. */
export interface PeerHost {
  readonly id: string;
  readonly mode: TcpServerMode;
  readonly requestEnd: RequestEnd;
  /** The answer of request-answer mode as bytes; null: close without one. */
  readonly answerBytes: Uint8Array | null;
  /** The charset the server's text was last sent in: its connections' records read in it. */
  readonly charset: Charset | null;
  readonly idleKickSeconds: number;
  readonly keepAlive: boolean;
  readonly noDelay: boolean;
  /** Bytes went one way on one of its connections (the server's own counters). */
  counted(direction: 'in' | 'out', bytes: number): void;
  /** The connection closed; the server lists it as closed from now on. */
  peerClosed(peer: TcpPeerSession): void;
  /** One heartbeat's bytes for this client, its macros filled in (beats numbered from 1). */
  expandBeat(template: PayloadTemplate, seq: number): Uint8Array;
  /** Inbound bytes of this client, once in the log: the server's reply rules read them. */
  inboundFrom(peer: TcpPeerSession, bytes: Uint8Array): void;
  /** This client's heartbeat changed (a beat, a reply, found dead or alive again). */
  heartbeatChanged(peer: TcpPeerSession, foundDead: boolean): void;
}

export type TcpPeerEvent = 'fin-sent' | 'peer-fin' | 'peer-dead' | 'peer-alive' | 'closed';

/**
 * Every state change of an accepted connection. It starts connected; the
 * server's heartbeat may mark it dead (and alive again); our FIN makes it
 * half-closed, the client's FIN peer-closed; it ends closed.
 */
export function tcpPeerTransition(state: TcpPeerState, event: TcpPeerEvent): TcpPeerState {
  switch (event) {
    case 'fin-sent':
      return state === 'connected' || state === 'dead' ? 'half-closed' : state;
    case 'peer-fin':
      return state === 'connected' || state === 'dead' ? 'peer-closed' : state;
    case 'peer-dead':
      return state === 'connected' ? 'dead' : state;
    case 'peer-alive':
      return state === 'dead' ? 'connected' : state;
    case 'closed':
      return 'closed';
  }
}

type EndedBy = NonNullable<TcpPeerInfo['endedBy']>;

/** A client that got our FIN but keeps its side open is let go after this long. */
const lingerAfterFinMs = 10_000;

export function socketAddress(
  address: string | undefined,
  port: number | undefined,
  family: string | undefined,
): SocketAddress {
  return {
    address: address ?? '',
    port: port ?? 0,
    family: family === 'IPv6' ? 'IPv6' : 'IPv4',
  };
}

/**
 * One connection a TCP server accepted: a session of its own (kind `tcp-peer`)
 * with its facts, counters and log records, served the way its server's mode
 * says. Inbound bytes reach the log (and its inbound taps) before the mode acts
 * on them, so reply rules see every request first.
 */
/** What ended a request (request-answer mode); carried in the event's params for every language. */
type RequestEndedBy =
  | { endedBy: 'line' }
  | { endedBy: 'bytes'; count: number }
  | { endedBy: 'quiet'; ms: number }
  | { endedBy: 'fin' };

function requestEndWords(end: RequestEndedBy): string {
  if (end.endedBy === 'line') return 'a line ending';
  if (end.endedBy === 'bytes') return `${end.count} bytes`;
  if (end.endedBy === 'quiet') return `${end.ms} ms of quiet`;
  return "the client's FIN";
}

export class TcpPeerSession implements Session, HeartbeatHost {
  readonly kind = 'tcp-peer';
  readonly transport = 'tcp';
  readonly local: SocketAddress;
  readonly remote: SocketAddress;
  readonly where: string;
  private state: TcpPeerState = 'connected';
  private readonly fd: number | null;
  private readonly sinceUs = nowUs();
  private closedAtUs: number | null = null;
  private ownCharset: Charset | null = null;
  private lastActivityUs = this.sinceUs;
  private lastError: SockscopeError | null = null;
  private endedBy: EndedBy | null = null;
  private readonly meter = new RateMeter();
  /** Request-answer mode: bytes of the request so far, and whether it was answered. */
  private requestBytes = 0;
  private answered = false;
  /** Our FIN is out (by disconnect, the mode, or answering the client's FIN). */
  private finSent = false;
  private quietTimer: NodeJS.Timeout | null = null;
  private lingerTimer: NodeJS.Timeout | null = null;
  /** Its own heartbeat, from the server's settings; null when the server has none. */
  private heartbeat: Heartbeat | null = null;
  /** performance.now() of the last packet each way, for a quiet-link heartbeat. */
  lastSentMs = performance.now();
  lastReceivedMs = performance.now();
  private readonly writeQueue = new WriteQueue((backlogged) => {
    this.logEvent(
      'info',
      backlogged
        ? `The client is not reading: ${this.writeQueue.queuedBytes} bytes wait to be sent`
        : 'The client reads again: sending goes on',
      backlogged
        ? { what: 'backlogged-client', queued: this.writeQueue.queuedBytes }
        : { what: 'drained-client' },
    );
    this.sink.changed(this);
  });
  readonly repeat = new RepeatTimer({
    cannotSend: () => this.sendProblem()?.message ?? null,
    mustWait: () => this.writeQueue.backlogged,
    changed: () => this.sink.changed(this),
    stoppedEarly: (sent, reason, code) =>
      this.logEvent('info', `Repeat stopped after ${sent} sends: ${reason}`, {
        what: 'repeat-stopped',
        sent,
        code,
      }),
  });

  constructor(
    readonly id: string,
    private readonly socket: Socket,
    private readonly host: PeerHost,
    private readonly sink: SessionSink,
  ) {
    this.local = socketAddress(socket.localAddress, socket.localPort, socket.localFamily);
    this.remote = socketAddress(socket.remoteAddress, socket.remotePort, socket.remoteFamily);
    this.where = formatAddress(this.remote);
    this.fd = fileDescriptor(socket);
  }

  get label(): string {
    return this.where;
  }

  get serverId(): string {
    return this.host.id;
  }

  get open(): boolean {
    return this.state !== 'closed';
  }

  /** Logs the accept and starts serving. */
  start(): void {
    const { socket } = this;
    this.logEvent('accepted', `Accepted ${this.where} on ${formatAddress(this.local)}`, {
      remote: this.where,
      local: formatAddress(this.local),
    });
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('end', () => this.onPeerEnd());
    socket.on('timeout', () => this.onIdle());
    socket.on('error', (error) => this.onError(error));
    socket.once('close', () => this.onClosed());
    this.applyIdleKick();
    this.sink.changed(this);
  }

  /** The server's mode or idle kick changed: start a fresh request, re-arm the timer. */
  behaviourChanged(): void {
    this.requestBytes = 0;
    this.answered = false;
    this.clearQuiet();
    this.applyIdleKick();
  }

  sendProblem(destination?: SendDestination): SockscopeError | null {
    if (destination?.to !== undefined || destination?.peers !== undefined)
      return ownPeerOnly(this.id, this.kind, destination);
    if (this.writable) return null;
    const why =
      this.state === 'closed' ? 'it is closed' : 'we already sent FIN (the connection is ending)';
    return new SockscopeError(
      ErrorCode.sessionNotConnected,
      `Cannot send to ${this.where}: ${why}`,
      {
        sessionId: this.id,
        state: this.state,
      },
    );
  }

  /** Bytes handed to the socket by sends that the kernel has not taken yet. */
  get queuedBytes(): number {
    return this.writeQueue.queuedBytes;
  }

  /** Over half its write queue: a repeat to this client waits. */
  get backlogged(): boolean {
    return this.writeQueue.backlogged;
  }

  /**
   * Writes bytes to the client; resolves once the kernel has taken them. `tag`
   * files why it was sent (the reply rule that fired).
   */
  send(bytes: Uint8Array, destination?: SendDestination, tag?: string): Promise<number> {
    const problem =
      this.sendProblem(destination) ??
      this.writeQueue.problem(bytes.byteLength, this.label, this.id);
    if (problem !== null) return Promise.reject(problem);
    this.writeQueue.add(bytes.byteLength);
    return new Promise((resolve, reject) => {
      this.write(
        bytes,
        (error) => {
          this.writeQueue.taken(bytes.byteLength);
          if (error) reject(socketError(error, this.where));
          else resolve(bytes.byteLength);
        },
        bytes,
        tag,
      );
    });
  }

  /**
   * Runs the server's heartbeat on this client (null removes it); it beats while
   * the connection is writable, the first beat one interval from now.
   */
  setHeartbeat(settings: HeartbeatSettings | null): void {
    this.heartbeat?.pause();
    this.heartbeat = settings === null ? null : new Heartbeat(settings, this);
    if (this.state === 'dead') this.transition('peer-alive');
    if (this.heartbeat !== null && this.writable) this.heartbeat.start();
    this.sink.changed(this);
  }

  /** Heartbeat sent / replies / dead, for the server's summary (no history copied). */
  heartbeatSummary(): { sent: number; replies: number; dead: boolean } | null {
    return this.heartbeat?.summary() ?? null;
  }

  /** An inbound packet once it is in the log (the engine's inbound tap). */
  inbound(bytes: Uint8Array): void {
    this.heartbeat?.inbound(bytes);
    this.host.inboundFrom(this, bytes);
  }

  canBeat(): boolean {
    return this.writable;
  }

  sendBeat(template: PayloadTemplate, seq: number): Promise<unknown> {
    return this.send(this.host.expandBeat(template, seq));
  }

  peerDead(missed: number): void {
    const heartbeat = this.heartbeat;
    if (heartbeat === null) return;
    const { onDead } = heartbeat.settings;
    this.transition('peer-dead');
    this.logEvent(
      'dead',
      `No reply to ${missed} heartbeats in a row: the peer is dead` +
        (onDead === 'mark' ? ' (the connection stays open)' : '; closing the connection'),
      { missed, action: onDead === 'mark' ? 'mark' : 'close' },
    );
    this.host.heartbeatChanged(this, true);
    if (onDead === 'mark') {
      this.sink.changed(this);
      return;
    }
    this.endedBy ??= 'dead';
    heartbeat.pause();
    this.socket.destroy();
  }

  peerAlive(): void {
    this.transition('peer-alive');
    this.logEvent('info', 'The peer answers the heartbeat again', { what: 'peer-alive' });
    this.host.heartbeatChanged(this, false);
    this.sink.changed(this);
  }

  changed(): void {
    this.sink.changed(this);
    this.host.heartbeatChanged(this, false);
  }

  /** Ends the connection politely: FIN now, closed once the client answers with its own. */
  disconnect(reason: string, endedBy: EndedBy = 'us'): boolean {
    if (!this.writable) return false;
    this.endedBy ??= endedBy;
    this.repeat.stop();
    this.clearQuiet();
    this.finSent = true;
    this.socket.end();
    this.transition('fin-sent');
    // The UI words the FIN by why it was sent: the answer given, the idle kick, or Disconnect.
    const by = this.answered ? 'answered' : endedBy === 'idle-kick' ? 'idle-kick' : 'disconnect';
    this.logEvent('half-closed', reason, { by, remote: this.where });
    this.lingerTimer = setTimeout(() => this.socket.destroy(), lingerAfterFinMs);
    this.lingerTimer.unref();
    this.sink.changed(this);
    return true;
  }

  /** Aborts the connection: RST, whatever is still queued is dropped. */
  reset(): boolean {
    if (this.state === 'closed') return false;
    this.endedBy ??= 'reset-by-us';
    this.repeat.stop();
    this.logEvent('reset-sent', `Reset ${this.where} (RST sent; the connection is aborted)`, {
      remote: this.where,
    });
    this.socket.resetAndDestroy();
    return true;
  }

  /** Closes at once (the engine's shutdown, the session's removal). */
  close(): Promise<void> {
    this.repeat.stop();
    const { socket } = this;
    if (socket.destroyed) return Promise.resolve();
    this.endedBy ??= 'us';
    return new Promise((resolve) => {
      socket.once('close', () => resolve());
      socket.destroy();
    });
  }

  /** Zeroes this client's counters and rates. */
  resetCounters(): void {
    this.meter.reset();
  }

  tick(): boolean {
    return this.meter.tick();
  }

  info(): TcpPeerInfo {
    return {
      id: this.id,
      kind: 'tcp-peer',
      transport: 'tcp',
      label: this.where,
      state: this.state,
      serverId: this.host.id,
      local: this.local,
      remote: this.remote,
      family: this.remote.family,
      // A closed connection has no descriptor.
      fd: this.state === 'closed' ? null : this.fd,
      sinceUs: this.sinceUs,
      closedAtUs: this.closedAtUs,
      keepAlive: this.host.keepAlive,
      noDelay: this.host.noDelay,
      lastActivityUs: this.lastActivityUs,
      endedBy: this.endedBy,
      heartbeat: this.heartbeat?.state() ?? null,
      stats: this.meter.snapshot(),
      repeat: this.repeat.state(),
      writeQueue: {
        queuedBytes: this.writeQueue.queuedBytes,
        limitBytes: this.writeQueue.limitBytes,
      },
      lastError: this.lastError?.toEnvelope() ?? null,
    };
  }

  /** We can still write: open, and our FIN is not out (the client's FIN alone leaves our side open). */
  private get writable(): boolean {
    return (
      !this.finSent &&
      (this.state === 'connected' || this.state === 'dead' || this.state === 'peer-closed')
    );
  }

  /** Writes and logs bytes; `logged` is the log's copy of them when it already has one. */
  private write(
    bytes: Uint8Array,
    done?: (error?: Error | null) => void,
    logged: Uint8Array = bytes,
    tag?: string,
  ): void {
    this.lastActivityUs = nowUs();
    this.lastSentMs = performance.now();
    this.sink.packet(this, 'out', logged, this.remote, tag);
    // Sent counts what the kernel took: bytes still queued behind a slow reader do not.
    const taken = (error?: Error | null): void => {
      if (!error) {
        this.meter.countOut(bytes.byteLength);
        this.host.counted('out', bytes.byteLength);
      }
      done?.(error);
    };
    if (!this.socket.write(bytes, taken) && !this.socket.isPaused()) {
      // Echo must not queue without bound behind a slow reader: read no more until it drains.
      this.socket.pause();
      this.socket.once('drain', () => this.socket.resume());
    }
  }

  private onData(chunk: Buffer): void {
    this.meter.countIn(chunk.byteLength);
    this.host.counted('in', chunk.byteLength);
    this.lastActivityUs = nowUs();
    this.lastReceivedMs = performance.now();
    const logged = this.sink.packet(this, 'in', chunk, this.remote);
    if (!this.writable) return;
    const { mode } = this.host;
    // The socket gets the chunk itself (the log's memory is recycled, a queued write is not).
    if (mode === 'echo') this.write(chunk, undefined, logged);
    else if (mode === 'request-answer') this.onRequestBytes(chunk);
  }

  private onRequestBytes(chunk: Buffer): void {
    if (this.answered) return;
    this.requestBytes += chunk.byteLength;
    const end = this.host.requestEnd;
    if (end.by === 'line') {
      if (chunk.includes(0x0a)) this.answer({ endedBy: 'line' });
    } else if (end.by === 'bytes') {
      if (this.requestBytes >= end.count) this.answer({ endedBy: 'bytes', count: end.count });
    } else {
      this.clearQuiet();
      this.quietTimer = setTimeout(() => this.answer({ endedBy: 'quiet', ms: end.ms }), end.ms);
    }
  }

  /** Request-answer mode: the request is complete; answer it, then close. */
  private answer(end: RequestEndedBy): void {
    if (this.answered || !this.writable) return;
    this.answered = true;
    this.clearQuiet();
    const answer = this.host.answerBytes;
    if (answer !== null && answer.byteLength > 0) this.write(answer);
    const answered = answer === null ? 0 : answer.byteLength;
    this.logEvent(
      'info',
      `Request of ${this.requestBytes} bytes complete (${requestEndWords(end)}): ` +
        (answered === 0 ? 'no answer configured; closing' : `answered ${answered} bytes; closing`),
      {
        ...(answered === 0 ? { what: 'request-unanswered' } : { what: 'request-answered' }),
        bytes: this.requestBytes,
        answered,
        ...end,
      },
    );
    this.disconnect('Answer sent: FIN sent (one request, one answer)');
  }

  private onPeerEnd(): void {
    this.endedBy ??= 'peer';
    const wasOpen = this.state === 'connected' || this.state === 'dead';
    this.transition('peer-fin');
    this.logEvent('half-closed', `${this.where} closed its side (FIN received)`, {
      by: 'client',
      remote: this.where,
    });
    this.sink.changed(this);
    if (!wasOpen) return;
    // A request cut short by the client's FIN is still a request: answer what came.
    if (this.host.mode === 'request-answer' && this.requestBytes > 0 && !this.answered) {
      this.answer({ endedBy: 'fin' });
      return;
    }
    this.repeat.stop();
    this.clearQuiet();
    // Answer the client's FIN with ours once what is queued has gone out.
    this.finSent = true;
    this.socket.end();
  }

  private onIdle(): void {
    const seconds = this.host.idleKickSeconds;
    if (seconds === 0 || !this.open) return;
    this.endedBy ??= 'idle-kick';
    this.logEvent('idle', `No traffic from ${this.where} for ${seconds} s: closing (idle kick)`, {
      action: 'kick',
      remote: this.where,
      seconds,
    });
    if (!this.disconnect('Idle kick: FIN sent', 'idle-kick')) this.socket.destroy();
  }

  private onError(error: Error): void {
    const coded = socketError(error, this.where);
    this.lastError = coded;
    const reset = (error as NodeJS.ErrnoException).code === 'ECONNRESET';
    this.endedBy ??= reset ? 'reset-by-peer' : 'error';
    this.logEvent(
      reset ? 'reset-received' : 'error',
      coded.message,
      reset ? { remote: this.where } : errorParams(coded),
    );
    this.sink.changed(this);
  }

  private onClosed(): void {
    this.repeat.stop();
    this.heartbeat?.pause();
    this.clearQuiet();
    if (this.lingerTimer !== null) clearTimeout(this.lingerTimer);
    this.transition('closed');
    this.closedAtUs = nowUs();
    const why = {
      peer: 'by the client',
      us: 'by us',
      'reset-by-us': 'by our reset',
      'reset-by-peer': "by the client's reset",
      'idle-kick': 'by the idle kick',
      error: 'after an error',
      dead: 'after the heartbeat found the client dead',
    }[this.endedBy ?? 'peer'];
    this.logEvent('closed', `Closed ${why}`, { by: this.endedBy ?? 'peer' });
    this.sink.changed(this);
    this.host.peerClosed(this);
  }

  /** The socket's inactivity timeout (0: off), which Node resets on every read and write. */
  private get idleKickMs(): number {
    return this.host.idleKickSeconds * 1000;
  }

  private applyIdleKick(): void {
    this.socket.setTimeout(this.idleKickMs);
  }

  private clearQuiet(): void {
    if (this.quietTimer !== null) clearTimeout(this.quietTimer);
    this.quietTimer = null;
  }

  private transition(event: TcpPeerEvent): void {
    this.state = tcpPeerTransition(this.state, event);
  }

  /** Text sent to this connection alone, else the server's (its composer sends to many). */
  get charset(): Charset | null {
    return this.ownCharset ?? this.host.charset;
  }

  set charset(charset: Charset | null) {
    this.ownCharset = charset;
  }

  private logEvent(event: SessionEventKind, message: string, params?: MessageParams): void {
    this.sink.event(this, event, message, params ?? null);
  }
}
