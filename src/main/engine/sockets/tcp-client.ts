import { lookup } from 'node:dns/promises';
import { connect as netConnect } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { HeartbeatSettings } from '@shared/contract/heartbeat';
import type { PayloadTemplate } from '@shared/codecs/template';
import { Socket } from 'node:net';
import type { Server } from 'node:net';
import type { MessageParams, SessionEventKind, SocketAddress } from '@shared/contract/log';
import type { Charset } from '@shared/contract/payload';
import type {
  SendDestination,
  TcpClientInfo,
  TcpClientState,
  TcpConnectArgs,
} from '@shared/contract/sessions';
import { formatEndpoint } from '@shared/endpoint';
import { ipFamily } from '@shared/ip';
import { ErrorCode, SockscopeError } from '@shared/errors';
import { nowUs } from '../clock';
import { connectTimeoutError, errorParams, lookupTimeoutError, socketError } from './socket-errors';
import { RateMeter } from './rate-meter';
import { RepeatTimer } from './repeat-timer';
import { WriteQueue } from './write-queue';
import { Heartbeat, backoffDelay } from './heartbeat';
import { ReplyRules } from '../rules/reply-rules';
import type { ReplyRule } from '@shared/contract/rules';
import type { HeartbeatHost } from './heartbeat';
import type { Automatable, Session } from './session';
import type { SessionSink } from './session-sink';

function familyOf(family: string | number | undefined): 'IPv4' | 'IPv6' {
  return family === 'IPv6' || family === 6 ? 'IPv6' : 'IPv4';
}

/** The OS descriptor behind a Node socket or server, where libuv exposes one (not on Windows). */
export function fileDescriptor(socket: Socket | Server): number | null {
  const handle = (socket as unknown as { _handle?: { fd?: unknown } })._handle;
  return typeof handle?.fd === 'number' && handle.fd >= 0 ? handle.fd : null;
}

/**
 * Whether this runtime's setKeepAlive takes a probe interval and count (Node
 * 24 does; Node 20 sets only the idle time).
 */
export const keepAliveProbesSupported = Socket.prototype.setKeepAlive.length >= 4;

/** setKeepAlive with interval and count, as the runtimes that have it declare it. */
type SetKeepAliveWithProbes = (
  enable: boolean,
  initialDelayMs: number,
  intervalMs?: number,
  count?: number,
) => Socket;

/**
 * One read takes at most this much. Larger than Node's 64 KiB default: under heavy
 * traffic fewer, larger records cost less per byte; light traffic is unaffected.
 */
const readBufferBytes = 256 * 1024;

/** What can happen to a TCP client, in socket terms. */
export type TcpClientEvent =
  | 'connect'
  | 'connected'
  | 'shutdown'
  | 'peer-fin'
  | 'connect-failed'
  | 'closed'
  | 'peer-dead'
  | 'peer-alive';

/**
 * Every state change of a TCP client, in one place. A FIN from the peer is a
 * state (`peer-closed`); so is our own FIN (`half-closed`). `connect-failed`
 * (refused, timed out, unreachable) ends a connect attempt; a socket that closes
 * without ever connecting has failed too.
 */
export function tcpClientTransition(state: TcpClientState, event: TcpClientEvent): TcpClientState {
  switch (event) {
    case 'connect':
      return 'connecting';
    case 'connected':
      return state === 'connecting' ? 'connected' : state;
    case 'shutdown':
      return state === 'connected' || state === 'dead' ? 'half-closed' : state;
    case 'peer-fin':
      return state === 'connected' || state === 'dead' ? 'peer-closed' : state;
    case 'connect-failed':
      return state === 'connecting' ? 'failed' : state;
    case 'peer-dead':
      return state === 'connected' ? 'dead' : state;
    case 'peer-alive':
      return state === 'dead' ? 'connected' : state;
    case 'closed':
      // A dead peer's session stays Dead once its connection is gone: that is why it closed.
      return state === 'connecting' || state === 'failed'
        ? 'failed'
        : state === 'dead'
          ? 'dead'
          : 'closed';
  }
}

/**
 * One TCP client session: a socket with explicit states, its facts, counters and
 * an optional repeat. It can be reconnected, so the socket is replaced but the
 * session (and its id, tab and log entries) stays.
 */
export class TcpClientSession implements Session, Automatable, HeartbeatHost {
  readonly kind = 'tcp-client';
  readonly transport = 'tcp';
  private heartbeat: Heartbeat | null = null;
  private rules: ReplyRules | null = null;
  private expandBeat: ((template: PayloadTemplate, seq: number) => Uint8Array) | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private reconnectAttempt = 0;
  /** Close the connection of a dead peer, then try again with backoff. */
  private reconnectAfterClose = false;
  lastSentMs = 0;
  lastReceivedMs = 0;
  private socket: Socket | null = null;
  private state: TcpClientState = 'closed';
  private localAddress: SocketAddress | null = null;
  private remoteAddress: SocketAddress | null = null;
  private fd: number | null = null;
  private closedAtUs: number | null = null;
  /** The charset text was last sent in; records carry it so the log reads them alike. */
  charset: Charset | null = null;
  private connectedSinceUs: number | null = null;
  private lastError: SockscopeError | null = null;
  private idle = false;
  private closingByUs = false;
  /** Counts connect attempts: a name lookup that ends after a close or a newer attempt is dropped. */
  private attempt = 0;
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
  private readonly meter = new RateMeter();
  private readonly writeQueue = new WriteQueue((backlogged) => {
    if (backlogged)
      this.logEvent(
        'info',
        `The peer is not reading: ${this.writeQueue.queuedBytes} bytes wait to be sent` +
          (this.repeat.state() === null ? '' : '; the repeat waits'),
        { what: 'backlogged', queued: this.writeQueue.queuedBytes },
      );
    else this.logEvent('info', 'The peer reads again: sending goes on', { what: 'drained' });
    this.sink.changed(this);
  });
  private readonly where: string;

  constructor(
    readonly id: string,
    private readonly options: TcpConnectArgs,
    private readonly sink: SessionSink,
  ) {
    this.where = formatEndpoint(options.host, options.port);
  }

  get label(): string {
    return this.options.label ?? this.where;
  }

  /**
   * Starts connecting; resolves once connected or failed (it never rejects). A host
   * name is looked up first, with its own deadline, so a slow lookup is told apart
   * from a slow connect.
   */
  connect(): Promise<void> {
    this.resetConnection();
    this.transition('connect');
    this.logEvent('connecting', `Connecting to ${this.where}`, { where: this.where });
    this.sink.changed(this);
    const attempt = ++this.attempt;
    if (ipFamily(this.options.host) !== 0) return this.open(this.options.host);
    return this.lookUp(attempt).then((address) =>
      address === null || attempt !== this.attempt ? undefined : this.open(address),
    );
  }

  /** The address of the host name, or null (having failed the session, saying why). */
  private async lookUp(attempt: number): Promise<string | null> {
    const { host, family, connectTimeoutMs } = this.options;
    const started = performance.now();
    let deadline: NodeJS.Timeout | undefined;
    const expiry = new Promise<never>((_resolve, reject) => {
      deadline = setTimeout(
        () => reject(lookupTimeoutError(host, connectTimeoutMs)),
        connectTimeoutMs,
      );
    });
    try {
      const found = await Promise.race([
        lookup(host, { family: family === 'ipv4' ? 4 : family === 'ipv6' ? 6 : 0 }),
        expiry,
      ]);
      if (attempt === this.attempt)
        this.logEvent(
          'info',
          `Looked up ${host}: ${found.address} (${Math.round(performance.now() - started)} ms)`,
          {
            what: 'looked-up',
            host,
            address: found.address,
            ms: Math.round(performance.now() - started),
          },
        );
      return found.address;
    } catch (error) {
      if (attempt === this.attempt) {
        this.fail(socketError(error, this.where));
        this.onClosed();
      }
      return null;
    } finally {
      clearTimeout(deadline);
    }
  }

  private open(address: string): Promise<void> {
    const { options } = this;
    // Allocated per connect and let go with the socket: a closed session holds none.
    const readBuffer = Buffer.allocUnsafe(readBufferBytes);
    const socket = netConnect({
      host: address,
      port: options.port,
      family: options.family === 'ipv4' ? 4 : options.family === 'ipv6' ? 6 : 0,
      // One family at a time, as the user chose: errors then name one address.
      autoSelectFamily: false,
      allowHalfOpen: true,
      noDelay: options.noDelay,
      keepAlive: options.keepAlive,
      keepAliveInitialDelay: options.keepAliveInitialDelayMs,
      ...(options.localAddress ? { localAddress: options.localAddress } : {}),
      ...(options.localPort ? { localPort: options.localPort } : {}),
      // Reads land in one reused buffer; the log copies what it keeps. No
      // allocation per chunk, so heavy traffic does not drive the garbage collector.
      onread: {
        buffer: readBuffer,
        callback: (bytesRead: number, buffer: Uint8Array) => {
          if (this.socket === socket) this.onData(buffer.subarray(0, bytesRead));
          return true;
        },
      },
    });
    this.socket = socket;

    return new Promise((resolve) => {
      let settled = false;
      const settle = (): void => {
        if (!settled) {
          settled = true;
          clearTimeout(timer);
          resolve();
        }
      };
      const timer = setTimeout(() => {
        if (this.socket !== socket || this.state !== 'connecting') return;
        this.fail(connectTimeoutError(this.where, options.connectTimeoutMs));
        socket.destroy();
        settle();
      }, options.connectTimeoutMs);

      socket.once('connect', () => {
        if (this.socket !== socket) return;
        this.onConnected(socket);
        settle();
      });
      socket.on('end', () => this.socket === socket && this.onPeerEnd(socket));
      socket.on('timeout', () => this.socket === socket && this.onIdle(socket));
      socket.on('error', (error) => {
        if (this.socket !== socket) return;
        this.fail(socketError(error, this.where));
      });
      socket.once('close', () => {
        if (this.socket === socket) this.onClosed();
        settle();
      });
    });
  }

  sendProblem(destination?: SendDestination): SockscopeError | null {
    if (destination?.to !== undefined || destination?.peers !== undefined)
      return ownPeerOnly(this.id, this.kind, destination);
    if (this.socket !== null && (this.state === 'connected' || this.state === 'dead')) return null;
    const why =
      this.state === 'half-closed'
        ? 'its write side is shut down'
        : this.state === 'peer-closed'
          ? 'the peer closed the connection'
          : `it is ${this.state}`;
    return new SockscopeError(
      ErrorCode.sessionNotConnected,
      `Cannot send on ${this.label}: ${why}`,
      {
        sessionId: this.id,
        session: this.label,
        state: this.state,
      },
    );
  }

  /**
   * Writes bytes; resolves with their count once the kernel has taken them, and
   * only then counts and logs them. Refused past the write queue's limit.
   */
  send(bytes: Uint8Array, destination?: SendDestination, tag?: string): Promise<number> {
    const problem =
      this.sendProblem(destination) ??
      this.writeQueue.problem(bytes.byteLength, this.label, this.id);
    const socket = this.socket;
    if (problem !== null || socket === null) return Promise.reject(problem);
    this.idle = false;
    this.writeQueue.add(bytes.byteLength);
    this.lastSentMs = performance.now();
    return new Promise((resolve, reject) => {
      socket.write(bytes, (error) => {
        if (this.socket === socket) this.writeQueue.taken(bytes.byteLength);
        if (error) {
          reject(socketError(error, this.where));
          return;
        }
        this.meter.countOut(bytes.byteLength);
        if (this.socket === socket) this.sink.packet(this, 'out', bytes, this.remoteAddress, tag);
        resolve(bytes.byteLength);
      });
    });
  }

  /** Half-close: sends FIN, keeps reading until the peer closes too. */
  shutdown(): void {
    if (this.socket === null || this.state !== 'connected') {
      throw new SockscopeError(
        ErrorCode.sessionNotConnected,
        `Cannot shut down the write side of ${this.label}: it is ${this.state}`,
        { sessionId: this.id, session: this.label, state: this.state },
      );
    }
    this.repeat.stop();
    this.transition('shutdown');
    this.socket.end();
    this.logEvent('half-closed', 'Write side shut down (FIN sent); still reading', { by: 'us' });
    this.sink.changed(this);
  }

  /** Closes the socket now; resolves once it is closed. */
  close(): Promise<void> {
    this.repeat.stop();
    // A connect still looking up its host name ends here, closed by us.
    this.attempt += 1;
    if (this.socket === null && this.state === 'connecting') {
      this.closingByUs = true;
      this.onClosed();
    }
    this.cancelReconnect();
    this.heartbeat?.pause();
    const socket = this.socket;
    if (socket === null || socket.destroyed) return Promise.resolve();
    this.closingByUs = true;
    return new Promise((resolve) => {
      socket.once('close', () => resolve());
      socket.destroy();
    });
  }

  async reconnect(): Promise<void> {
    await this.close();
    await this.connect();
  }

  resetCounters(): void {
    this.meter.reset();
  }

  /** Refreshes the rate figures; true when anything shown has changed. */
  tick(): boolean {
    return this.meter.tick();
  }

  info(): TcpClientInfo {
    const { options } = this;
    const counters = this.meter.snapshot();
    return {
      id: this.id,
      kind: 'tcp-client',
      transport: 'tcp',
      label: this.label,
      state: this.state,
      target: { host: options.host, port: options.port },
      local: this.localAddress,
      remote: this.remoteAddress,
      family: this.remoteAddress?.family ?? null,
      type: 'stream',
      protocol: 'tcp',
      fd: this.fd,
      closedAtUs: this.closedAtUs,
      idleTimeoutMs: options.idleTimeoutMs,
      idleAction: options.idleAction,
      idle: this.idle,
      connectTimeoutMs: options.connectTimeoutMs,
      keepAlive: options.keepAlive,
      keepAliveInitialDelayMs: options.keepAliveInitialDelayMs,
      keepAliveIntervalMs: options.keepAliveIntervalMs ?? null,
      keepAliveCount: options.keepAliveCount ?? null,
      noDelay: options.noDelay,
      sinceUs: this.connectedSinceUs,
      writeShutdown: this.state === 'half-closed' || this.state === 'peer-closed',
      heartbeat: this.heartbeat?.state() ?? null,
      rules: this.rules?.state() ?? null,
      stats: counters,
      repeat: this.repeat.state(),
      writeQueue: {
        queuedBytes: this.writeQueue.queuedBytes,
        limitBytes: this.writeQueue.limitBytes,
      },
      lastError: this.lastError?.toEnvelope() ?? null,
    };
  }

  get local(): SocketAddress | null {
    return this.localAddress;
  }

  get remote(): SocketAddress | null {
    return this.remoteAddress;
  }

  private resetConnection(): void {
    this.localAddress = null;
    this.remoteAddress = null;
    this.fd = null;
    this.connectedSinceUs = null;
    this.closedAtUs = null;
    this.lastError = null;
    this.idle = false;
    this.closingByUs = false;
    this.meter.reset();
    this.writeQueue.clear();
  }

  private onConnected(socket: Socket): void {
    const local = socket.address();
    if ('port' in local) {
      this.localAddress = {
        address: local.address,
        port: local.port,
        family: familyOf(local.family),
      };
    }
    this.remoteAddress = {
      address: socket.remoteAddress ?? this.options.host,
      port: socket.remotePort ?? this.options.port,
      family: familyOf(socket.remoteFamily),
    };
    this.fd = fileDescriptor(socket);
    this.connectedSinceUs = nowUs();
    this.transition('connected');
    if (this.options.idleTimeoutMs > 0) socket.setTimeout(this.options.idleTimeoutMs);
    const { keepAlive, keepAliveInitialDelayMs, keepAliveIntervalMs, keepAliveCount } =
      this.options;
    if (keepAlive && (keepAliveIntervalMs !== undefined || keepAliveCount !== undefined))
      (socket.setKeepAlive as SetKeepAliveWithProbes).call(
        socket,
        true,
        keepAliveInitialDelayMs,
        keepAliveIntervalMs,
        keepAliveCount,
      );
    this.reconnectAttempt = 0;
    if (this.heartbeat !== null) {
      this.heartbeat.reconnect = null;
      this.heartbeat.gaveUp = false;
      this.heartbeat.start();
    }
    const from = this.localAddress;
    const to = this.remoteAddress;
    const remote = formatEndpoint(to.address, to.port);
    const localText = from === null ? '' : formatEndpoint(from.address, from.port);
    this.logEvent(
      'connected',
      `Connected to ${remote}` + (localText === '' ? '' : ` from ${localText}`),
      { remote, local: localText },
    );
    this.sink.changed(this);
  }

  private onData(chunk: Uint8Array): void {
    this.meter.countIn(chunk.byteLength);
    this.idle = false;
    this.lastReceivedMs = performance.now();
    this.sink.packet(this, 'in', chunk, this.remoteAddress);
  }

  private onPeerEnd(socket: Socket): void {
    const answer = this.state === 'connected';
    this.transition('peer-fin');
    this.repeat.stop();
    this.logEvent('half-closed', 'The peer closed its side (FIN received)', { by: 'peer' });
    // We answer the peer's FIN with ours unless the user already shut down writing.
    if (answer) socket.end();
    this.sink.changed(this);
  }

  private onIdle(socket: Socket): void {
    const seconds = this.options.idleTimeoutMs;
    if (this.options.idleAction === 'close') {
      this.logEvent('idle', `No traffic for ${seconds} ms: closing (idle timeout)`, {
        ms: seconds,
        action: 'close',
      });
      this.closingByUs = true;
      socket.destroy();
    } else if (!this.idle) {
      this.idle = true;
      this.logEvent('idle', `No traffic for ${seconds} ms (idle timeout; the session stays open)`, {
        ms: seconds,
        action: 'mark',
      });
      this.sink.changed(this);
    }
  }

  private fail(error: SockscopeError): void {
    if (this.lastError !== null && this.state === 'failed') return;
    this.lastError = error;
    this.transition('connect-failed');
    this.logEvent('error', error.message, errorParams(error));
    this.sink.changed(this);
  }

  private onClosed(): void {
    this.repeat.stop();
    this.writeQueue.clear();
    // The closed socket (and its read buffer) is let go: thousands of closed sessions cost little.
    this.socket = null;
    this.rules?.cancel();
    this.heartbeat?.pause();
    const wasConnected = this.connectedSinceUs !== null;
    const by =
      this.lastError !== null ? 'error' : this.closingByUs ? 'us' : wasConnected ? 'peer' : '';
    const why = { error: 'after an error', us: 'by us', peer: 'by the peer', '': '' }[by];
    this.transition('closed');
    // A closed socket has no descriptor, no rates, and its "connected since" stops.
    this.fd = null;
    this.closedAtUs = nowUs();
    this.meter.settle();
    this.logEvent('closed', `Closed${why === '' ? '' : ` ${why}`}`, { by });
    // A dead peer's connection, a failed attempt while reconnecting, or (with
    // reconnect chosen) a connection the peer or the network ended: try again.
    const lostByPeer = !this.closingByUs && this.heartbeat?.settings.onDead === 'reconnect';
    if (
      this.reconnectAfterClose ||
      lostByPeer ||
      (this.reconnectAttempt > 0 && this.heartbeat !== null)
    ) {
      this.reconnectAfterClose = false;
      this.scheduleReconnect();
    }
    this.sink.changed(this);
  }

  /**
   * Attaches a heartbeat (null removes it); it beats while connected. `expand`
   * fills each beat's macros, numbering beats from 1.
   */
  setHeartbeat(
    settings: HeartbeatSettings | null,
    expand: (template: PayloadTemplate, seq: number) => Uint8Array,
  ): void {
    this.heartbeat?.pause();
    this.cancelReconnect();
    this.heartbeat = settings === null ? null : new Heartbeat(settings, this);
    this.expandBeat = expand;
    if (this.heartbeat !== null && (this.state === 'connected' || this.state === 'dead')) {
      if (this.state === 'dead') this.transition('peer-alive');
      this.heartbeat.start();
    }
    this.sink.changed(this);
  }

  /** How late the heartbeat's timer callbacks ran (ms), for the benchmark. */
  heartbeatDrifts(): readonly number[] {
    return this.heartbeat?.drifts ?? [];
  }

  /** An inbound packet once it is in the log (the engine's inbound tap; one peer, so no address). */
  inbound(bytes: Uint8Array): void {
    this.heartbeat?.inbound(bytes);
    this.rules?.inbound(bytes);
  }

  /** Replaces the reply rules (an empty list removes them). */
  setRules(
    mode: 'first' | 'all',
    rules: readonly ReplyRule[],
    expand: (template: PayloadTemplate) => Uint8Array,
  ): void {
    this.rules = ReplyRules.replace(this.rules, mode, rules, {
      sendReply: (template, name) => {
        if (this.sendProblem() !== null) return Promise.resolve();
        return this.send(expand(template), undefined, `rule "${name}"`);
      },
      note: (message, params) => this.logEvent('info', message, params),
      changed: () => this.sink.changed(this),
    });
    this.sink.changed(this);
  }

  canBeat(): boolean {
    return this.sendProblem() === null;
  }

  sendBeat(template: PayloadTemplate, seq: number): Promise<unknown> {
    if (this.expandBeat === null) return Promise.resolve();
    return this.send(this.expandBeat(template, seq));
  }

  peerDead(missed: number): void {
    const heartbeat = this.heartbeat;
    if (heartbeat === null) return;
    this.transition('peer-dead');
    this.logEvent(
      'dead',
      `No reply to ${missed} heartbeats in a row: the peer is dead` +
        (heartbeat.settings.onDead === 'mark'
          ? ' (the connection stays open)'
          : heartbeat.settings.onDead === 'close'
            ? '; closing the connection'
            : '; closing the connection to reconnect'),
      { missed, action: heartbeat.settings.onDead },
    );
    if (heartbeat.settings.onDead !== 'mark' && this.socket !== null) {
      this.reconnectAfterClose = heartbeat.settings.onDead === 'reconnect';
      this.closingByUs = true;
      this.heartbeat?.pause();
      this.socket.destroy();
    }
    this.sink.changed(this);
  }

  changed(): void {
    this.sink.changed(this);
  }

  peerAlive(): void {
    this.transition('peer-alive');
    this.logEvent('info', 'The peer answers the heartbeat again', { what: 'peer-alive' });
    this.sink.changed(this);
  }

  private scheduleReconnect(): void {
    const heartbeat = this.heartbeat;
    if (heartbeat === null || this.reconnectTimer !== null) return;
    const { backoff } = heartbeat.settings;
    const attempt = this.reconnectAttempt + 1;
    if (backoff.maxAttempts > 0 && attempt > backoff.maxAttempts) {
      heartbeat.reconnect = null;
      heartbeat.gaveUp = true;
      this.reconnectAttempt = 0;
      this.logEvent('reconnect', `Gave up reconnecting after ${backoff.maxAttempts} attempts`, {
        what: 'gave-up',
        attempts: backoff.maxAttempts,
      });
      return;
    }
    this.reconnectAttempt = attempt;
    const delayMs = backoffDelay(backoff, attempt);
    heartbeat.reconnect = { attempt, delayMs };
    this.logEvent('reconnect', `Reconnect attempt ${attempt} in ${delayMs} ms`, {
      attempt,
      ms: delayMs,
    });
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      heartbeat.reconnect = null;
      void this.connect();
    }, delayMs);
  }

  private cancelReconnect(): void {
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.reconnectAttempt = 0;
    this.reconnectAfterClose = false;
    if (this.heartbeat !== null) this.heartbeat.reconnect = null;
  }

  private transition(event: TcpClientEvent): void {
    this.state = tcpClientTransition(this.state, event);
  }

  private logEvent(event: SessionEventKind, message: string, params: MessageParams | null): void {
    this.sink.event(this, event, message, params);
  }
}

/** A connected TCP socket has one peer: a datagram address or a server's peer list means nothing to it. */
export function ownPeerOnly(
  sessionId: string,
  kind: 'tcp-client' | 'tcp-peer',
  destination: SendDestination,
): SockscopeError {
  const field = destination.to !== undefined ? 'to' : 'peers';
  return new SockscopeError(
    ErrorCode.sessionUnsupported,
    `${field}: a ${kind} session sends only to its own peer` +
      (field === 'to'
        ? ' (a destination address is for UDP sockets)'
        : ' (peers are for TCP servers)'),
    { sessionId, field },
  );
}
