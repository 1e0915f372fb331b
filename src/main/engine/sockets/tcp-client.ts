import { connect as netConnect } from 'node:net';
import type { Socket } from 'node:net';
import type { MessageParams, SessionEventKind, SocketAddress } from '@shared/contract/log';
import type { Charset } from '@shared/contract/payload';
import type {
  SendDestination,
  TcpClientInfo,
  TcpClientState,
  TcpConnectArgs,
} from '@shared/contract/sessions';
import { formatEndpoint } from '@shared/endpoint';
import { ErrorCode, SockscopeError } from '@shared/errors';
import { nowUs } from '../clock';
import { connectTimeoutError, errorParams, socketError } from './socket-errors';
import { RateMeter } from './rate-meter';
import { RepeatTimer } from './repeat-timer';
import type { Session } from './session';
import type { SessionSink } from './session-sink';

function familyOf(family: string | number | undefined): 'IPv4' | 'IPv6' {
  return family === 'IPv6' || family === 6 ? 'IPv6' : 'IPv4';
}

/** The OS descriptor behind a Node socket, where libuv exposes one (not on Windows). */
function fileDescriptor(socket: Socket): number | null {
  const handle = (socket as unknown as { _handle?: { fd?: unknown } })._handle;
  return typeof handle?.fd === 'number' && handle.fd >= 0 ? handle.fd : null;
}

/**
 * One read takes at most this much. Larger than Node's 64 KiB default: under heavy
 * traffic fewer, larger records cost less per byte; light traffic is unaffected.
 */
const readBufferBytes = 256 * 1024;

/** What can happen to a TCP client, in socket terms. */
export type TcpClientEvent =
  'connect' | 'connected' | 'shutdown' | 'peer-fin' | 'connect-failed' | 'closed';

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
      return state === 'connected' ? 'half-closed' : state;
    case 'peer-fin':
      return state === 'connected' ? 'peer-closed' : state;
    case 'connect-failed':
      return state === 'connecting' ? 'failed' : state;
    case 'closed':
      return state === 'connecting' || state === 'failed' ? 'failed' : 'closed';
  }
}

/**
 * One TCP client session: a socket with explicit states, its facts, counters and
 * an optional repeat. It can be reconnected, so the socket is replaced but the
 * session (and its id, tab and log entries) stays.
 */
export class TcpClientSession implements Session {
  readonly kind = 'tcp-client';
  readonly transport = 'tcp';
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
  readonly repeat = new RepeatTimer({
    cannotSend: () => this.sendProblem()?.message ?? null,
    changed: () => this.sink.changed(this),
    stoppedEarly: (sent, reason, code) =>
      this.logEvent('info', `Repeat stopped after ${sent} sends: ${reason}`, {
        what: 'repeat-stopped',
        sent,
        code,
      }),
  });
  private readonly meter = new RateMeter();
  private readonly readBuffer = Buffer.allocUnsafe(readBufferBytes);
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

  /** Starts connecting; resolves once connected or failed (it never rejects). */
  connect(): Promise<void> {
    this.resetConnection();
    this.transition('connect');
    this.logEvent('connecting', `Connecting to ${this.where}`, { where: this.where });
    this.sink.changed(this);

    const { options } = this;
    const socket = netConnect({
      host: options.host,
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
        buffer: this.readBuffer,
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
      return ownPeerOnly(this.id, destination);
    if (this.socket !== null && this.state === 'connected') return null;
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

  /** Writes bytes; resolves with their count once the kernel has taken them. */
  send(bytes: Uint8Array, destination?: SendDestination): Promise<number> {
    const problem = this.sendProblem(destination);
    const socket = this.socket;
    if (problem !== null || socket === null) return Promise.reject(problem);
    this.meter.countOut(bytes.byteLength);
    this.idle = false;
    this.sink.packet(this, 'out', bytes, this.remoteAddress);
    return new Promise((resolve, reject) => {
      socket.write(bytes, (error) => {
        if (error) reject(socketError(error, this.where));
        else resolve(bytes.byteLength);
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
      noDelay: options.noDelay,
      sinceUs: this.connectedSinceUs,
      writeShutdown: this.state === 'half-closed' || this.state === 'peer-closed',
      stats: counters,
      repeat: this.repeat.state(),
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
    this.sink.changed(this);
  }

  private transition(event: TcpClientEvent): void {
    this.state = tcpClientTransition(this.state, event);
  }

  private logEvent(event: SessionEventKind, message: string, params: MessageParams): void {
    this.sink.event(this, event, message, params);
  }
}

/** A TCP client has one peer: a datagram address or a server's peer list means nothing to it. */
export function ownPeerOnly(sessionId: string, destination: SendDestination): SockscopeError {
  const field = destination.to !== undefined ? 'to' : 'peers';
  return new SockscopeError(
    ErrorCode.sessionUnsupported,
    `${field}: a tcp-client session sends only to its own peer` +
      (field === 'to'
        ? ' (a destination address is for UDP sockets)'
        : ' (peers are for TCP servers)'),
    { sessionId, field },
  );
}
