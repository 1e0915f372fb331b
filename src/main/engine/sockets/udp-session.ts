import { createSocket } from 'node:dgram';
import type { RemoteInfo, Socket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { performance } from 'node:perf_hooks';
import type { HeartbeatSettings } from '@shared/contract/heartbeat';
import type { ReplyRule } from '@shared/contract/rules';
import type { PayloadTemplate } from '@shared/codecs/template';
import type { MessageParams, SessionEventKind, SocketAddress } from '@shared/contract/log';
import type { Charset } from '@shared/contract/payload';
import type {
  DatagramDestination,
  SendDestination,
  UdpInfo,
  UdpState,
} from '@shared/contract/sessions';
import type { UdpBindArgs, UdpMembershipArgs, UdpSetOptionsArgs } from '@shared/contract/udp';
import { maxDatagramBytesIPv4, maxDatagramBytesIPv6 } from '@shared/contract/udp';
import type { MulticastMembership } from '@shared/contract/udp-facts';
import { ErrorCode, SockscopeError } from '@shared/errors';
import { ipFamily } from '@shared/ip';
import { nowUs } from '../clock';
import { RateMeter } from './rate-meter';
import { RepeatTimer } from './repeat-timer';
import { errorParams } from './socket-errors';
import { WriteQueue } from './write-queue';
import type { Automatable, Session } from './session';
import { Heartbeat } from './heartbeat';
import type { HeartbeatHost } from './heartbeat';
import { ReplyRules } from '../rules/reply-rules';
import type { SessionSink } from './session-sink';
import { formatEndpoint } from '@shared/endpoint';
import { udpError } from './udp-errors';
import { UdpPeers } from './udp-peers';

/** What can happen to a UDP socket. */
export type UdpEvent = 'bind' | 'bound' | 'bind-failed' | 'peer-dead' | 'peer-alive' | 'closed';

/**
 * Every state change of a UDP socket, in one place: binding ends bound or
 * failed; a bound socket whose heartbeat peer stops answering is dead until it
 * answers again; a socket that closes before it was bound has failed.
 */
export function udpTransition(state: UdpState, event: UdpEvent): UdpState {
  switch (event) {
    case 'bind':
      return 'binding';
    case 'bound':
      return state === 'binding' ? 'bound' : state;
    case 'bind-failed':
      return state === 'binding' ? 'failed' : state;
    case 'peer-dead':
      return state === 'bound' ? 'dead' : state;
    case 'peer-alive':
      return state === 'dead' ? 'bound' : state;
    case 'closed':
      // A socket closed because its peer died stays Dead: that is why it closed.
      return state === 'binding' || state === 'failed'
        ? 'failed'
        : state === 'dead'
          ? 'dead'
          : 'closed';
  }
}

/** The OS descriptor behind a dgram socket, where libuv exposes one (not on Windows). */
function fileDescriptor(socket: Socket): number | null {
  const state = Object.getOwnPropertySymbols(socket)
    .filter((symbol) => symbol.description === 'state symbol')
    .map((symbol) => (socket as unknown as Record<symbol, { handle?: { fd?: unknown } }>)[symbol])
    .at(0);
  const fd = state?.handle?.fd;
  return typeof fd === 'number' && fd >= 0 ? fd : null;
}

function isBroadcastAll(host: string): boolean {
  return host === '255.255.255.255';
}

function membershipKey(membership: MulticastMembership): string {
  return `${membership.group}|${membership.source ?? ''}|${membership.interface ?? ''}`;
}

function describeMembership(membership: MulticastMembership): string {
  const source = membership.source === null ? '' : ` from source ${membership.source}`;
  const where = membership.interface === null ? '' : ` on ${membership.interface}`;
  return `group ${membership.group}${source}${where}`;
}

/** A membership's parts for the renderer's wording (empty where not given). */
function membershipParams(membership: MulticastMembership): MessageParams {
  return {
    group: membership.group,
    source: membership.source ?? '',
    interface: membership.interface ?? '',
  };
}

/** How long a resolved destination name is reused: repeats at 1 ms need not ask every time. */
const nameCacheMs = 2000;

/**
 * The receive buffer asked for when the bind leaves it empty. The OS default (about
 * 208 KiB on Linux) holds ~5 ms of 50,000 small datagrams/s, so any busy moment of the
 * event loop drops them; 4 MiB holds ~100 ms. The kernel caps it at
 * net.core.rmem_max, and the socket's facts show what was granted.
 */
export const defaultRecvBufferBytes = 4 * 1024 * 1024;

/**
 * One UDP socket: bound to a local address, sending datagrams to any destination
 * (or its connected default peer) and receiving from anyone, each datagram one
 * record with its peer. Options, multicast memberships, peers and counters are
 * its facts.
 */
export class UdpSession implements Session, Automatable, HeartbeatHost {
  readonly kind = 'udp';
  readonly transport = 'udp';
  private socket: Socket | null = null;
  private state: UdpState = 'closed';
  private localAddress: SocketAddress | null = null;
  private remoteAddress: SocketAddress | null = null;
  private fd: number | null = null;
  private boundSinceUs: number | null = null;
  private closedAtUs: number | null = null;
  /** The charset text was last sent in; records carry it so the log reads them alike. */
  charset: Charset | null = null;
  private lastError: SockscopeError | null = null;
  private broadcast: boolean;
  private ttl: number | null;
  private multicastTtl: number | null;
  private multicastLoopback: boolean;
  private multicastInterface: string | null;
  private recvBufferBytes: number | null = null;
  private sendBufferBytes: number | null = null;
  private readonly memberships = new Map<string, MulticastMembership>();
  private readonly peers = new UdpPeers();
  private peersShownVersion = -1;
  private readonly meter = new RateMeter();
  private readonly names = new Map<string, { address: string; untilMs: number }>();
  private heartbeat: Heartbeat | null = null;
  private expandBeat: ((template: PayloadTemplate, seq: number) => Uint8Array) | null = null;
  /** Where the latest beat went: only datagrams from there are its replies. */
  private beatPeer: { address: string; port: number } | null = null;
  /** Each reply goes back to the sender of the datagram that matched. */
  private rules: ReplyRules<SocketAddress | null> | null = null;
  /** performance.now() of the last datagram to and from the heartbeat's peer (quiet mode). */
  lastSentMs = 0;
  lastReceivedMs = 0;
  private readonly writeQueue = new WriteQueue((backlogged) => {
    this.logEvent(
      'info',
      backlogged
        ? `Datagrams wait to be sent: ${this.writeQueue.queuedBytes} bytes queued` +
            (this.repeat.state() === null ? '' : '; the repeat waits')
        : 'Datagrams go out again',
      backlogged
        ? { what: 'backlogged-datagrams', queued: this.writeQueue.queuedBytes }
        : { what: 'drained-datagrams' },
    );
    this.sink.changed(this);
  });
  readonly repeat = new RepeatTimer({
    cannotSend: () => this.stateProblem()?.message ?? null,
    mustWait: () => this.writeQueue.backlogged,
    changed: () => this.sink.changed(this),
    stoppedEarly: (sent, reason, code) =>
      this.logEvent('info', `Repeat stopped after ${sent} sends: ${reason}`, {
        what: 'repeat-stopped',
        sent,
        code,
      }),
  });
  private readonly where: string;

  constructor(
    readonly id: string,
    private readonly options: UdpBindArgs,
    private readonly sink: SessionSink,
  ) {
    this.where = formatEndpoint(options.localAddress, options.localPort);
    this.broadcast = options.broadcast;
    this.ttl = options.ttl ?? null;
    this.multicastTtl = options.multicastTtl ?? null;
    this.multicastLoopback = options.multicastLoopback;
    this.multicastInterface = options.multicastInterface ?? null;
  }

  get label(): string {
    const local = this.localAddress;
    return (
      this.options.label ??
      (local === null ? this.where : formatEndpoint(local.address, local.port))
    );
  }

  get local(): SocketAddress | null {
    return this.localAddress;
  }

  get remote(): SocketAddress | null {
    return this.remoteAddress;
  }

  private get family(): 4 | 6 {
    return ipFamily(this.options.localAddress) === 6 ? 6 : 4;
  }

  /**
   * Binds and applies the options; connects when a default peer was given.
   * Rejects with the error in words when any step fails (the socket is then closed).
   */
  async bind(): Promise<void> {
    const { options } = this;
    this.state = udpTransition(this.state, 'bind');
    this.sink.changed(this);
    const socket = createSocket({
      type: this.family === 6 ? 'udp6' : 'udp4',
      reuseAddr: options.reuseAddress,
      ipv6Only: options.ipv6Only,
      recvBufferSize: options.recvBufferBytes ?? defaultRecvBufferBytes,
      ...(options.sendBufferBytes === undefined ? {} : { sendBufferSize: options.sendBufferBytes }),
    });
    this.socket = socket;
    socket.on('message', (message: Buffer, sender: RemoteInfo) => {
      if (this.socket === socket) this.onDatagram(message, sender);
    });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.once('listening', () => {
          socket.off('error', reject);
          resolve();
        });
        socket.bind({ address: options.localAddress, port: options.localPort });
      });
    } catch (error) {
      this.failBind(socket, udpError(error, 'bind', this.where));
      return;
    }
    socket.on('error', (error) => this.socket === socket && this.onSocketError(error));
    try {
      this.applyOptions(socket);
    } catch (error) {
      this.failBind(
        socket,
        error instanceof SockscopeError ? error : udpError(error, 'option', this.where),
      );
      return;
    }
    const local = socket.address();
    this.localAddress = {
      address: local.address,
      port: local.port,
      family: local.family === 'IPv6' ? 'IPv6' : 'IPv4',
    };
    this.fd = fileDescriptor(socket);
    this.recvBufferBytes = socket.getRecvBufferSize();
    this.sendBufferBytes = socket.getSendBufferSize();
    this.boundSinceUs = nowUs();
    this.state = udpTransition(this.state, 'bound');
    const boundTo = formatEndpoint(local.address, local.port);
    this.logEvent(
      'info',
      `Bound to ${boundTo} (receive buffer ${this.recvBufferBytes} bytes, send buffer ${this.sendBufferBytes} bytes)`,
      {
        what: 'bound',
        local: boundTo,
        recvBufferBytes: this.recvBufferBytes,
        sendBufferBytes: this.sendBufferBytes,
      },
    );
    this.sink.changed(this);
    if (options.connectTo !== undefined) {
      try {
        await this.connect(options.connectTo);
      } catch (error) {
        await this.close();
        throw error;
      }
    }
    this.heartbeat?.start();
  }

  /** connect(): the default peer; sends go there and only its datagrams arrive. */
  async connect(to: DatagramDestination): Promise<void> {
    const socket = this.boundSocket('connect');
    const where = formatEndpoint(to.host, to.port);
    const address = await this.resolve(to.host, where);
    if (this.remoteAddress !== null) socket.disconnect();
    this.remoteAddress = null;
    await new Promise<void>((resolve, reject) => {
      socket.connect(to.port, address, (error?: Error) => (error ? reject(error) : resolve()));
    }).catch((error: unknown) => {
      throw this.record(udpError(error, 'connect', where));
    });
    const peer = socket.remoteAddress();
    this.remoteAddress = {
      address: peer.address,
      port: peer.port,
      family: peer.family === 'IPv6' ? 'IPv6' : 'IPv4',
    };
    const remote = formatEndpoint(peer.address, peer.port);
    this.logEvent(
      'connected',
      `Connected to default peer ${remote}: sends go there and only its datagrams are received`,
      { what: 'default-peer', remote },
    );
    this.noteBeatless();
    this.sink.changed(this);
  }

  disconnect(): void {
    const socket = this.boundSocket('disconnect');
    if (this.remoteAddress === null) return;
    socket.disconnect();
    this.remoteAddress = null;
    this.logEvent(
      'info',
      'Disconnected from the default peer: datagrams from anyone are received again',
      { what: 'default-peer-cleared' },
    );
    this.noteBeatless();
    this.sink.changed(this);
  }

  setOptions(changes: Omit<UdpSetOptionsArgs, 'sessionId'>): void {
    const socket = this.boundSocket('set options on');
    const run = (what: string, apply: () => void): void => {
      try {
        apply();
      } catch (error) {
        throw this.record(udpError(error, 'option', what));
      }
    };
    if (changes.broadcast !== undefined) {
      run('the Broadcast option', () => socket.setBroadcast(changes.broadcast!));
      this.broadcast = changes.broadcast;
    }
    if (changes.ttl !== undefined) {
      run(`TTL ${changes.ttl}`, () => socket.setTTL(changes.ttl!));
      this.ttl = changes.ttl;
    }
    if (changes.multicastTtl !== undefined) {
      run(`multicast TTL ${changes.multicastTtl}`, () =>
        socket.setMulticastTTL(changes.multicastTtl!),
      );
      this.multicastTtl = changes.multicastTtl;
    }
    if (changes.multicastLoopback !== undefined) {
      run('multicast loopback', () => socket.setMulticastLoopback(changes.multicastLoopback!));
      this.multicastLoopback = changes.multicastLoopback;
    }
    if (changes.multicastInterface !== undefined) {
      run(`interface ${changes.multicastInterface}`, () =>
        socket.setMulticastInterface(changes.multicastInterface!),
      );
      this.multicastInterface = changes.multicastInterface;
    }
    const options = Object.entries(changes)
      .map(([name, value]) => `${name} ${String(value)}`)
      .join(', ');
    this.logEvent('info', `Options set: ${options}`, { what: 'options', options });
    this.sink.changed(this);
  }

  join(args: Omit<UdpMembershipArgs, 'sessionId'>): void {
    const socket = this.boundSocket('join a group on');
    const membership: MulticastMembership = {
      group: args.group,
      source: args.source ?? null,
      interface: args.interface ?? null,
    };
    const described = describeMembership(membership);
    if (this.memberships.has(membershipKey(membership)))
      throw new SockscopeError(ErrorCode.multicastFailed, `Already a member of ${described}`, {
        group: args.group,
        reason: 'already-member',
      });
    try {
      if (membership.source === null) socket.addMembership(membership.group, args.interface);
      else socket.addSourceSpecificMembership(membership.source, membership.group, args.interface);
    } catch (error) {
      throw this.record(udpError(error, 'join', described));
    }
    this.memberships.set(membershipKey(membership), membership);
    this.logEvent('info', `Joined ${described}`, {
      what: 'joined',
      ...membershipParams(membership),
    });
    this.sink.changed(this);
  }

  leave(args: Omit<UdpMembershipArgs, 'sessionId'>): void {
    const socket = this.boundSocket('leave a group on');
    const membership: MulticastMembership = {
      group: args.group,
      source: args.source ?? null,
      interface: args.interface ?? null,
    };
    const described = describeMembership(membership);
    if (!this.memberships.has(membershipKey(membership)))
      throw new SockscopeError(ErrorCode.multicastFailed, `Not a member of ${described}`, {
        group: args.group,
        reason: 'not-member',
      });
    this.drop(socket, membership);
    this.sink.changed(this);
  }

  leaveAll(): number {
    const socket = this.boundSocket('leave groups on');
    const all = [...this.memberships.values()];
    for (const membership of all) this.drop(socket, membership);
    this.sink.changed(this);
    return all.length;
  }

  /** Bound, with its heartbeat peer alive or dead: the socket works either way. */
  private get open(): boolean {
    return this.socket !== null && (this.state === 'bound' || this.state === 'dead');
  }

  /** Why nothing can be sent now, or null. */
  private stateProblem(): SockscopeError | null {
    if (this.open) return null;
    // Between close() and the socket's own close callback the state still reads bound.
    const state = this.socket === null && this.state !== 'closed' ? 'closing' : this.state;
    return new SockscopeError(
      ErrorCode.sessionNotConnected,
      `Cannot send on ${this.label}: it is ${state}`,
      {
        sessionId: this.id,
        session: this.label,
        state: this.state,
      },
    );
  }

  sendProblem(destination?: SendDestination): SockscopeError | null {
    if (destination?.peers !== undefined)
      return new SockscopeError(
        ErrorCode.sessionUnsupported,
        'peers: a UDP socket sends to a destination address (peers are for TCP servers)',
        { sessionId: this.id, field: 'peers', reason: 'udp-peers' },
      );
    const problem = this.stateProblem();
    if (problem !== null) return problem;
    const to = destination?.to;
    if (to === undefined) {
      if (this.remoteAddress !== null) return null;
      return new SockscopeError(
        ErrorCode.socketNoDestination,
        `No destination: give a destination host and port, or connect ${this.label} to a default peer`,
        { sessionId: this.id, session: this.label },
      );
    }
    if (
      this.remoteAddress !== null &&
      !(to.port === this.remoteAddress.port && to.host === this.remoteAddress.address)
    )
      return new SockscopeError(
        ErrorCode.sessionUnsupported,
        `This socket is connected to ${formatEndpoint(this.remoteAddress.address, this.remoteAddress.port)} and sends only there; disconnect it to send to ${formatEndpoint(to.host, to.port)}`,
        {
          sessionId: this.id,
          reason: 'connected-elsewhere',
          remote: formatEndpoint(this.remoteAddress.address, this.remoteAddress.port),
          where: formatEndpoint(to.host, to.port),
        },
      );
    if (isBroadcastAll(to.host) && !this.broadcast)
      return new SockscopeError(
        ErrorCode.socketPermissionDenied,
        `Permission denied sending to ${formatEndpoint(to.host, to.port)}: it is the broadcast address and the socket's Broadcast option (SO_BROADCAST) is off (EACCES)`,
        {
          sessionId: this.id,
          osCode: 'EACCES',
          action: 'send',
          where: formatEndpoint(to.host, to.port),
        },
      );
    if (ipFamily(to.host) === 4 && this.family === 6 && this.options.ipv6Only)
      return new SockscopeError(
        ErrorCode.socketFailed,
        `Cannot send to ${formatEndpoint(to.host, to.port)}: this socket is IPv6-only; bind without "IPv6 only" to reach IPv4 addresses too`,
        { sessionId: this.id, reason: 'ipv6-only', where: formatEndpoint(to.host, to.port) },
      );
    if (ipFamily(to.host) === 6 && this.family === 4)
      return new SockscopeError(
        ErrorCode.socketFailed,
        `Cannot send to ${formatEndpoint(to.host, to.port)}: this socket is IPv4 (bound to ${this.options.localAddress}); bind to :: to reach IPv6 addresses`,
        { sessionId: this.id, reason: 'ipv4-socket', where: formatEndpoint(to.host, to.port) },
      );
    return null;
  }

  private sizeProblem(size: number): SockscopeError | null {
    const limit = this.family === 6 ? maxDatagramBytesIPv6 : maxDatagramBytesIPv4;
    if (size <= limit) return null;
    return new SockscopeError(
      ErrorCode.socketMessageTooLong,
      `Message too long: ${size} bytes is more than one UDP datagram over IPv${this.family} can carry (${limit}) (EMSGSIZE)`,
      {
        sessionId: this.id,
        size,
        limit,
        family: this.family,
        osCode: 'EMSGSIZE',
        reason: 'over-limit',
      },
    );
  }

  /**
   * Sends one datagram; resolves with its size once the kernel took it. `tag` files
   * why it was sent when not by hand (the reply rule that fired).
   */
  async send(bytes: Uint8Array, destination?: SendDestination, tag?: string): Promise<number> {
    const problem =
      this.sendProblem(destination) ??
      this.sizeProblem(bytes.byteLength) ??
      this.writeQueue.problem(bytes.byteLength, this.label, this.id);
    if (problem !== null) throw problem;
    const socket = this.socket!;
    // A connected socket sends only to its peer, and Node refuses an address on it.
    const connected = this.remoteAddress;
    const to = destination?.to;
    const where =
      connected !== null
        ? formatEndpoint(connected.address, connected.port)
        : formatEndpoint(to!.host, to!.port);
    const address = connected !== null ? connected.address : await this.resolve(to!.host, where);
    const port = connected !== null ? connected.port : to!.port;
    this.writeQueue.add(bytes.byteLength);
    try {
      await new Promise<void>((resolve, reject) => {
        const done = (error: Error | null): void => (error ? reject(error) : resolve());
        if (connected !== null) socket.send(bytes, done);
        else socket.send(bytes, port, address, done);
      });
    } catch (error) {
      // Closed while the datagram waited for the kernel: that is why it never went.
      if (this.socket !== socket) throw this.stateProblem() ?? udpError(error, 'send', where);
      throw this.record(udpError(error, 'send', where));
    } finally {
      this.writeQueue.taken(bytes.byteLength);
    }
    if (this.socket !== socket) return bytes.byteLength;
    this.meter.countOut(bytes.byteLength);
    const family = ipFamily(address) === 6 ? 'IPv6' : 'IPv4';
    const peer = this.peers.count(address, port, family, 'out', bytes.byteLength, nowUs());
    if (this.isBeatPeer(peer)) this.lastSentMs = performance.now();
    this.sink.packet(this, 'out', bytes, peer, tag);
    return bytes.byteLength;
  }

  /**
   * Sends `bytes` as datagrams of `datagramBytes` each (the last may be shorter),
   * waiting `pacingMs` after each; stops at the first failure, saying how far it got.
   * `room`, when given, is awaited before each datagram with its size (a file's
   * datagrams wait for room in the write queue instead of being refused).
   */
  async sendDatagrams(
    bytes: Uint8Array,
    destination: SendDestination,
    datagramBytes: number,
    pacingMs: number,
    room?: (byteLength: number) => Promise<void>,
  ): Promise<{ datagrams: number; bytes: number }> {
    let datagrams = 0;
    let sent = 0;
    // No bytes is still one datagram: UDP carries empty ones.
    const pieces = Math.max(1, Math.ceil(bytes.byteLength / datagramBytes));
    for (let index = 0; index < pieces; index += 1) {
      const piece = bytes.subarray(index * datagramBytes, (index + 1) * datagramBytes);
      try {
        await room?.(piece.byteLength);
        await this.send(piece, destination);
      } catch (error) {
        if (error instanceof SockscopeError && datagrams > 0)
          throw new SockscopeError(
            error.code,
            `${error.message}; ${datagrams} datagrams (${sent} bytes) were sent before it`,
            { ...error.details, datagrams, bytes: sent },
          );
        throw error;
      }
      datagrams += 1;
      sent += piece.byteLength;
      if (pacingMs > 0) await new Promise((resolve) => setTimeout(resolve, pacingMs));
    }
    return { datagrams, bytes: sent };
  }

  close(): Promise<void> {
    this.repeat.stop();
    this.heartbeat?.pause();
    this.rules?.cancel();
    const socket = this.socket;
    if (socket === null) return Promise.resolve();
    this.socket = null;
    this.memberships.clear();
    return new Promise((resolve) => {
      socket.close(() => {
        this.state = udpTransition(this.state, 'closed');
        this.remoteAddress = null;
        // A closed socket has no descriptor, no rates, and its "bound since" stops.
        this.fd = null;
        this.closedAtUs = nowUs();
        this.meter.settle();
        this.logEvent('closed', 'Closed by us', { by: 'us' });
        this.sink.changed(this);
        resolve();
      });
    });
  }

  /** Zeroes the socket's counters and rates; the peers list keeps who talked. */
  resetCounters(): void {
    this.meter.reset();
  }

  tick(): boolean {
    const metered = this.meter.tick();
    const peersChanged = this.peers.version !== this.peersShownVersion;
    this.peersShownVersion = this.peers.version;
    return metered || peersChanged;
  }

  info(): UdpInfo {
    return {
      id: this.id,
      kind: 'udp',
      transport: 'udp',
      label: this.label,
      state: this.state,
      type: 'dgram',
      protocol: 'udp',
      bindTo: { address: this.options.localAddress, port: this.options.localPort },
      local: this.localAddress,
      remote: this.remoteAddress,
      family: this.localAddress?.family ?? (this.family === 6 ? 'IPv6' : 'IPv4'),
      fd: this.fd,
      sinceUs: this.boundSinceUs,
      closedAtUs: this.closedAtUs,
      options: {
        reuseAddress: this.options.reuseAddress,
        ipv6Only: this.options.ipv6Only,
        broadcast: this.broadcast,
        ttl: this.ttl,
        recvBufferBytes: this.recvBufferBytes,
        sendBufferBytes: this.sendBufferBytes,
        recvBufferRequested: this.options.recvBufferBytes ?? null,
        sendBufferRequested: this.options.sendBufferBytes ?? null,
        multicastTtl: this.multicastTtl,
        multicastLoopback: this.multicastLoopback,
        multicastInterface: this.multicastInterface,
      },
      memberships: [...this.memberships.values()],
      peers: this.peers.list(),
      peersSeen: this.peers.seen,
      heartbeat: this.heartbeat?.state() ?? null,
      rules: this.rules?.state() ?? null,
      stats: this.meter.snapshot(),
      repeat: this.repeat.state(),
      writeQueue: {
        queuedBytes: this.writeQueue.queuedBytes,
        limitBytes: this.writeQueue.limitBytes,
      },
      lastError: this.lastError?.toEnvelope() ?? null,
    };
  }

  /**
   * Attaches a heartbeat (null removes it). Beats go to `settings.to`, or to the
   * connected default peer; one with neither, or asking to reconnect, is refused
   * here (before binding, when given with the bind). It beats while bound.
   */
  setHeartbeat(
    settings: HeartbeatSettings | null,
    expand: (template: PayloadTemplate, seq: number) => Uint8Array,
  ): void {
    if (settings !== null) this.assertBeatable(settings);
    this.heartbeat?.pause();
    this.heartbeat = settings === null ? null : new Heartbeat(settings, this);
    this.expandBeat = expand;
    this.beatPeer = null;
    if (this.state === 'dead') this.state = udpTransition(this.state, 'peer-alive');
    if (this.heartbeat !== null && this.open) this.heartbeat.start();
    this.sink.changed(this);
  }

  private assertBeatable(settings: HeartbeatSettings): void {
    if (settings.onDead === 'reconnect')
      throw new SockscopeError(
        ErrorCode.sessionUnsupported,
        'heartbeat.onDead: a UDP socket has no connection to reconnect; mark the peer dead or close the socket',
        { sessionId: this.id, kind: 'udp', field: 'heartbeat.onDead', reason: 'udp-reconnect' },
      );
    const to = settings.to;
    const connected =
      this.remoteAddress !== null || (!this.open && this.options.connectTo !== undefined);
    if (to === undefined && !connected)
      throw new SockscopeError(
        ErrorCode.socketNoDestination,
        `heartbeat.to: no destination for the heartbeat of ${this.label}: give one, or connect the socket to a default peer`,
        { sessionId: this.id, field: 'heartbeat.to', reason: 'heartbeat-no-destination' },
      );
    if (to !== undefined) {
      // A connected socket sends only to its peer: a beat elsewhere could never leave.
      const problem = this.remoteAddress === null ? null : this.sendProblem({ to });
      if (problem !== null && problem.details?.reason === 'connected-elsewhere') throw problem;
    }
  }

  /** An inbound datagram once it is in the log: rules answer its sender; the heartbeat hears its peer. */
  inbound(bytes: Uint8Array, peer: SocketAddress | null): void {
    if (this.heartbeat !== null && this.isBeatPeer(peer)) {
      this.lastReceivedMs = performance.now();
      this.heartbeat.inbound(bytes);
    }
    this.rules?.inbound(bytes, peer);
  }

  /** Replaces the reply rules (an empty list removes them); each reply goes to the sender it answers. */
  setRules(
    mode: 'first' | 'all',
    rules: readonly ReplyRule[],
    expand: (template: PayloadTemplate) => Uint8Array,
  ): void {
    this.rules = ReplyRules.replace(this.rules, mode, rules, {
      sendReply: (template, name, peer) => {
        // A connected socket answers its one peer; otherwise the datagram's sender.
        const destination =
          this.remoteAddress !== null || peer === null
            ? undefined
            : { to: { host: peer.address, port: peer.port } };
        if (this.sendProblem(destination) !== null) return Promise.resolve();
        return this.send(expand(template), destination, `rule "${name}"`);
      },
      note: (message, params) => this.logEvent('info', message, params),
      changed: () => this.sink.changed(this),
    });
    this.sink.changed(this);
  }

  /** A beat can leave now: bound, and its destination reachable from this socket. */
  canBeat(): boolean {
    const to = this.heartbeat?.settings.to;
    if (to === undefined && this.remoteAddress === null) return false;
    return this.sendProblem(to === undefined ? undefined : { to }) === null;
  }

  /** Says so once when a connect or disconnect leaves the heartbeat nowhere to beat. */
  private noteBeatless(): void {
    if (this.heartbeat === null || this.canBeat()) return;
    this.logEvent(
      'info',
      'The heartbeat waits: this socket cannot reach its destination now (connect it to the default peer again, or give the heartbeat a destination this socket can send to)',
      { what: 'heartbeat-waits' },
    );
  }

  async sendBeat(template: PayloadTemplate, seq: number): Promise<unknown> {
    const to = this.heartbeat?.settings.to;
    if (this.expandBeat === null) return;
    const bytes = this.expandBeat(template, seq);
    if (to === undefined || this.remoteAddress !== null) {
      this.beatPeer = this.remoteAddress;
      return this.send(bytes);
    }
    const where = formatEndpoint(to.host, to.port);
    this.beatPeer = { address: await this.resolve(to.host, where), port: to.port };
    return this.send(bytes, { to });
  }

  peerDead(missed: number): void {
    const heartbeat = this.heartbeat;
    if (heartbeat === null) return;
    this.state = udpTransition(this.state, 'peer-dead');
    const close = heartbeat.settings.onDead === 'close';
    const peer =
      this.beatPeer === null ? '' : formatEndpoint(this.beatPeer.address, this.beatPeer.port);
    this.logEvent(
      'dead',
      `No reply from ${peer} to ${missed} heartbeats in a row: the peer is dead` +
        (close ? '; closing the socket' : ' (the socket stays open)'),
      { missed, peer, action: close ? 'udp-close' : 'udp-mark' },
    );
    if (close) void this.close();
    this.sink.changed(this);
  }

  peerAlive(): void {
    this.state = udpTransition(this.state, 'peer-alive');
    this.logEvent('info', 'The peer answers the heartbeat again', { what: 'peer-alive' });
    this.sink.changed(this);
  }

  changed(): void {
    this.sink.changed(this);
  }

  private isBeatPeer(peer: SocketAddress | null): boolean {
    const target = this.beatPeer;
    return (
      target !== null &&
      peer !== null &&
      peer.port === target.port &&
      peer.address === target.address
    );
  }

  private applyOptions(socket: Socket): void {
    const { options } = this;
    if (options.broadcast) socket.setBroadcast(true);
    if (options.ttl !== undefined) socket.setTTL(options.ttl);
    if (options.multicastTtl !== undefined) socket.setMulticastTTL(options.multicastTtl);
    if (!options.multicastLoopback) socket.setMulticastLoopback(false);
    if (options.multicastInterface !== undefined) {
      try {
        socket.setMulticastInterface(options.multicastInterface);
      } catch (error) {
        throw udpError(error, 'option', `multicast interface ${options.multicastInterface}`);
      }
    }
  }

  private failBind(socket: Socket, error: SockscopeError): never {
    this.record(error);
    this.socket = null;
    this.closedAtUs = nowUs();
    this.state = udpTransition(this.state, 'bind-failed');
    try {
      socket.close();
    } catch {
      // A socket whose bind failed may already be closed.
    }
    this.sink.changed(this);
    throw error;
  }

  private boundSocket(action: string): Socket {
    if (this.open) return this.socket!;
    throw new SockscopeError(
      ErrorCode.sessionNotConnected,
      `Cannot ${action} ${this.label}: it is ${this.state}`,
      {
        sessionId: this.id,
        session: this.label,
        state: this.state,
      },
    );
  }

  private drop(socket: Socket, membership: MulticastMembership): void {
    const described = describeMembership(membership);
    try {
      if (membership.source === null)
        socket.dropMembership(membership.group, membership.interface ?? undefined);
      else
        socket.dropSourceSpecificMembership(
          membership.source,
          membership.group,
          membership.interface ?? undefined,
        );
    } catch (error) {
      throw this.record(udpError(error, 'leave', described));
    }
    this.memberships.delete(membershipKey(membership));
    this.logEvent('info', `Left ${described}`, { what: 'left', ...membershipParams(membership) });
  }

  /**
   * An IP literal as is; a name through the system resolver, in this socket's
   * family. A dual-stack IPv6 socket reaches IPv4 through its mapped form
   * (::ffff:a.b.c.d), which is also how its replies arrive.
   */
  private async resolve(host: string, where: string): Promise<string> {
    if (ipFamily(host) === 4 && this.family === 6) return `::ffff:${host}`;
    if (ipFamily(host) !== 0) return host;
    const cached = this.names.get(host);
    if (cached !== undefined && cached.untilMs > Date.now()) return cached.address;
    try {
      const { address } = await lookup(host, { family: this.family });
      this.names.set(host, { address, untilMs: Date.now() + nameCacheMs });
      return address;
    } catch (error) {
      throw this.record(udpError(error, 'send', where));
    }
  }

  private onDatagram(message: Buffer, sender: RemoteInfo): void {
    this.meter.countIn(message.byteLength);
    const peer = this.peers.count(
      sender.address,
      sender.port,
      sender.family === 'IPv6' ? 'IPv6' : 'IPv4',
      'in',
      message.byteLength,
      nowUs(),
    );
    this.sink.packet(this, 'in', message, peer);
  }

  private onSocketError(error: unknown): void {
    const where =
      this.remoteAddress === null
        ? this.where
        : formatEndpoint(this.remoteAddress.address, this.remoteAddress.port);
    this.record(udpError(error, 'receive', where));
  }

  /** Keeps the error as the session's last, logs it, and returns it to be thrown. */
  private record(error: SockscopeError): SockscopeError {
    this.lastError = error;
    this.logEvent('error', error.message, errorParams(error));
    this.sink.changed(this);
    return error;
  }

  private logEvent(event: SessionEventKind, message: string, params: MessageParams | null): void {
    this.sink.event(this, event, message, params);
  }
}
