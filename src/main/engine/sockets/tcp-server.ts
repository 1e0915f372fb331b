import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import type { PayloadTemplate } from '@shared/codecs/template';
import type { HeartbeatSettings } from '@shared/contract/heartbeat';
import type { MessageParams, SessionEventKind, SocketAddress } from '@shared/contract/log';
import type { ReplyRule } from '@shared/contract/rules';
import type { Charset } from '@shared/contract/payload';
import type {
  PeerTargets,
  SendDestination,
  TcpServerInfo,
  TcpServerState,
} from '@shared/contract/sessions';
import type { TcpListenArgs, TcpServerBehaviour } from '@shared/contract/tcp-server';
import { peerIdOf } from '@shared/contract/tcp-server';
import { ErrorCode, SockscopeError } from '@shared/errors';
import { encodePayload } from '@shared/codecs/payload';
import { encodeText } from '../charset';
import { nowUs } from '../clock';
import { compileMatcher } from '../rules/match';
import { ReplyRules } from '../rules/reply-rules';
import { settingsInForce } from './heartbeat';
import { compile } from './payload-macros';
import { RateMeter } from './rate-meter';
import { RepeatTimer } from './repeat-timer';
import type { Automatable, Session } from './session';
import type { SessionSink } from './session-sink';
import { errorParams, listenError, socketError } from './socket-errors';
import { formatAddress, formatEndpoint } from '@shared/endpoint';
import { fileDescriptor } from './tcp-client';
import { TcpPeerSession, socketAddress } from './tcp-peer';
import type { PeerHost } from './tcp-peer';
import { writeQueueLimitBytes } from './write-queue';

/** Where a server's connections live as sessions of their own. */
export interface PeerRegistry {
  add(peer: TcpPeerSession): void;
  /** Drops a closed connection from the engine (it leaves the clients list). */
  drop(peerId: string): void;
}

/** Closed connections stay listed (state `closed`) up to this many per server; older ones go. */
export const closedPeersKept = 200;

export type TcpServerEvent = 'listening' | 'listen-failed' | 'closed';

/** Every state change of a listener. */
export function tcpServerTransition(state: TcpServerState, event: TcpServerEvent): TcpServerState {
  switch (event) {
    case 'listening':
      return state === 'starting' ? 'listening' : state;
    case 'listen-failed':
      return state === 'starting' ? 'failed' : state;
    case 'closed':
      return state === 'failed' ? 'failed' : 'closed';
  }
}

/**
 * A TCP listener (session kind `tcp-server`). Each accepted connection becomes a
 * `tcp-peer` session with id `<server id>.<n>`, served by the server's mode,
 * which can change while it runs. Beyond `maxClients` a connection is reset at
 * once and the refusal logged with the client's address.
 */
export class TcpServerSession implements Session, Automatable, PeerHost {
  readonly kind = 'tcp-server';
  readonly transport = 'tcp';
  readonly remote = null;
  private state: TcpServerState = 'starting';
  private readonly server: Server;
  private localAddress: SocketAddress | null = null;
  private fd: number | null = null;
  private sinceUs: number | null = null;
  private closedAtUs: number | null = null;
  /** The charset its text was last sent in; its connections' records read in it. */
  charset: Charset | null = null;
  private lastError: SockscopeError | null = null;
  private behaviour: TcpServerBehaviour;
  private answer: Uint8Array | null;
  /** Open connections, in the order they were accepted. */
  private readonly peers = new Map<string, TcpPeerSession>();
  /** Closed connections still listed, oldest first. */
  private readonly closedPeers: string[] = [];
  private nextPeer = 1;
  private clientsTotal = 0;
  private refusals = 0;
  private readonly meter = new RateMeter();
  private readonly where: string;
  /** The heartbeat each client runs, and how its beats are expanded; null: none. */
  private heartbeatSettings: HeartbeatSettings | null = null;
  private expandBeatWith: ((template: PayloadTemplate, seq: number) => Uint8Array) | null = null;
  /** Clients the heartbeat found dead since it was attached. */
  private deadTotal = 0;
  /** One list of rules for every client: hits and rate limits count over all of them. */
  private rules: ReplyRules<TcpPeerSession> | null = null;
  readonly repeat = new RepeatTimer({
    // Each client has its own write queue: the repeat waits while any is backlogged.
    mustWait: () => [...this.peers.values()].some((peer) => peer.backlogged),
    cannotSend: () =>
      this.state !== 'listening'
        ? `the server is ${this.state}`
        : this.peers.size === 0
          ? 'no client is connected'
          : null,
    changed: () => this.sink.changed(this),
    stoppedEarly: (sent, reason, code) =>
      this.logEvent('info', `Repeat stopped after ${sent} sends: ${reason}`, {
        what: 'repeat-stopped',
        sent,
        code,
        // Listening with nobody to send to: said as such, not as "not connected".
        ...(this.state === 'listening' && this.peers.size === 0 ? { why: 'noClients' } : {}),
      }),
  });

  constructor(
    readonly id: string,
    private readonly options: TcpListenArgs,
    private readonly sink: SessionSink,
    private readonly registry: PeerRegistry,
  ) {
    this.where = formatEndpoint(options.host, options.port);
    this.behaviour = {
      mode: options.mode,
      requestEnd: options.requestEnd,
      answer: options.answer,
      idleKickSeconds: options.idleKickSeconds,
      maxClients: options.maxClients,
    };
    this.answer = options.answer === null ? null : encodePayload(options.answer, encodeText);
    this.server = createServer(
      {
        allowHalfOpen: true,
        noDelay: options.noDelay,
        keepAlive: options.keepAlive,
        keepAliveInitialDelay: 30_000,
      },
      (socket) => this.onConnection(socket),
    );
  }

  get label(): string {
    return this.options.label ?? this.where;
  }

  get local(): SocketAddress | null {
    return this.localAddress;
  }

  get mode(): TcpServerBehaviour['mode'] {
    return this.behaviour.mode;
  }

  get requestEnd(): TcpServerBehaviour['requestEnd'] {
    return this.behaviour.requestEnd;
  }

  get answerBytes(): Uint8Array | null {
    return this.answer;
  }

  get idleKickSeconds(): number {
    return this.behaviour.idleKickSeconds;
  }

  get keepAlive(): boolean {
    return this.options.keepAlive;
  }

  get noDelay(): boolean {
    return this.options.noDelay;
  }

  /** Starts listening; rejects with the reason in words (address in use, permission denied…). */
  listen(): Promise<void> {
    const { options } = this;
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => {
        const coded = listenError(error, this.where);
        this.lastError = coded;
        this.state = tcpServerTransition(this.state, 'listen-failed');
        this.logEvent('error', coded.message, errorParams(coded));
        reject(coded);
      };
      this.server.once('error', onError);
      this.server.listen(
        {
          host: options.host,
          port: options.port,
          backlog: options.backlog,
          ipv6Only: options.ipv6Only,
        },
        () => {
          this.server.off('error', onError);
          this.server.on('error', (error) => this.onServerError(error));
          this.onListening();
          resolve();
        },
      );
    });
  }

  /** Changes what the server does from the next byte on; fields left out stay. */
  configure(change: Partial<TcpServerBehaviour>): void {
    const before = this.behaviour;
    const next = { ...before, ...change };
    // Encode first: a bad answer changes nothing.
    const answer = next.answer === null ? null : encodePayload(next.answer, encodeText);
    this.behaviour = next;
    this.answer = answer;
    const said: string[] = [];
    // What changed, as params too, so every language can say it (engine-words: behaviourChanges).
    const changed: MessageParams = {};
    if (next.mode !== before.mode) {
      said.push(`mode ${modeWords[next.mode]}`);
      changed.mode = next.mode;
    }
    if (next.idleKickSeconds !== before.idleKickSeconds) {
      said.push(
        next.idleKickSeconds === 0 ? 'no idle kick' : `idle kick after ${next.idleKickSeconds} s`,
      );
      changed.idleKickSeconds = next.idleKickSeconds;
    }
    if (next.maxClients !== before.maxClients) {
      said.push(next.maxClients === 0 ? 'no client limit' : `at most ${next.maxClients} clients`);
      changed.maxClients = next.maxClients;
    }
    if (said.length > 0)
      this.logEvent('info', `Now: ${said.join(', ')}`, { what: 'behaviour', ...changed });
    for (const peer of this.peers.values()) peer.behaviourChanged();
    this.sink.changed(this);
  }

  sendProblem(destination?: SendDestination): SockscopeError | null {
    if (destination?.to !== undefined)
      return new SockscopeError(
        ErrorCode.sessionUnsupported,
        'to: a tcp-server sends to its clients, not to an address (name them in "peers")',
        { sessionId: this.id, field: 'to' },
      );
    if (this.state !== 'listening')
      return new SockscopeError(
        ErrorCode.sessionNotConnected,
        `Cannot send from ${this.label}: the server is ${this.state}`,
        { sessionId: this.id, state: this.state },
      );
    if (destination?.peers === undefined)
      return new SockscopeError(
        ErrorCode.sessionUnsupported,
        'peers: a tcp-server sends to its clients: name them, or "all"',
        { sessionId: this.id, field: 'peers' },
      );
    return null;
  }

  /** Sends the bytes to each chosen client that is open; resolves with the bytes sent in all. */
  async send(bytes: Uint8Array, destination?: SendDestination): Promise<number> {
    const problem = this.sendProblem(destination);
    if (problem !== null) throw problem;
    const targets = this.targets(destination?.peers ?? 'all').filter(
      (peer) => peer.sendProblem() === null,
    );
    if (targets.length === 0)
      throw new SockscopeError(
        ErrorCode.sessionNotConnected,
        `Cannot send from ${this.label}: none of the chosen clients is connected`,
        { sessionId: this.id },
      );
    const sent = await Promise.all(targets.map((peer) => peer.send(bytes)));
    return sent.reduce((sum, count) => sum + count, 0);
  }

  /** FIN (or RST with `reset`) to each chosen open client; the count that were open. */
  disconnect(peers: PeerTargets, reset: boolean): number {
    let count = 0;
    for (const peer of this.targets(peers)) {
      if (!peer.open) continue;
      const ended = reset ? peer.reset() : peer.disconnect('Disconnected by us: FIN sent');
      if (ended) count += 1;
    }
    return count;
  }

  /**
   * Runs a heartbeat on each client, open now or accepted later (null removes it).
   * A dead client is marked or closed; reconnecting is a TCP client's alone.
   * Checked whole before anything changes, so a bad one leaves the old in force.
   */
  setHeartbeat(
    settings: HeartbeatSettings | null,
    expand: (template: PayloadTemplate, seq: number) => Uint8Array,
  ): void {
    if (settings !== null) {
      if (settings.onDead === 'reconnect')
        throw new SockscopeError(
          ErrorCode.invalidArgs,
          'heartbeat.onDead: a server cannot reconnect to a client; choose mark or close (reconnect is for a TCP client)',
          { sessionId: this.id, field: 'heartbeat.onDead' },
        );
      compile(settings.payload);
      if (settings.expect !== null) compileMatcher(settings.expect);
    }
    this.heartbeatSettings = settings;
    this.expandBeatWith = expand;
    this.deadTotal = 0;
    for (const peer of this.peers.values()) peer.setHeartbeat(settings);
    this.sink.changed(this);
  }

  /** Replaces the reply rules every client's data is matched against (an empty list removes them). */
  setRules(
    mode: 'first' | 'all',
    rules: readonly ReplyRule[],
    expand: (template: PayloadTemplate) => Uint8Array,
  ): void {
    const previous = this.rules?.state() ?? null;
    const next =
      rules.length === 0
        ? null
        : new ReplyRules<TcpPeerSession>(
            mode,
            rules,
            {
              // The reply goes back on the connection that sent the match.
              sendReply: (template, name, peer) =>
                peer.sendProblem() !== null
                  ? Promise.resolve()
                  : peer.send(expand(template), undefined, `rule "${name}"`),
              note: (message, params) => this.logEvent('info', message, params),
              changed: () => this.sink.changed(this),
            },
            previous,
          );
    this.rules?.cancel();
    this.rules = next;
    this.sink.changed(this);
  }

  /** A client's bytes (TcpPeerSession.inbound): the server's rules answer that client. */
  inboundFrom(peer: TcpPeerSession, bytes: Uint8Array): void {
    this.rules?.inbound(bytes, peer);
  }

  expandBeat(template: PayloadTemplate, seq: number): Uint8Array {
    if (this.expandBeatWith === null) return new Uint8Array(0);
    return this.expandBeatWith(template, seq);
  }

  heartbeatChanged(_peer: TcpPeerSession, foundDead: boolean): void {
    if (foundDead) this.deadTotal += 1;
    this.sink.changed(this);
  }

  /** Stops listening and closes every connection; resolves once all are closed. */
  async close(): Promise<void> {
    this.repeat.stop();
    this.rules?.cancel();
    await Promise.all([...this.peers.values()].map((peer) => peer.close()));
    if (this.state !== 'listening') return;
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.state = tcpServerTransition(this.state, 'closed');
    this.fd = null;
    this.closedAtUs = nowUs();
    const where = formatAddress(this.localAddress, '?');
    this.logEvent('closed', `Stopped listening on ${where}`, { what: 'stopped', where });
    this.sink.changed(this);
  }

  /** The ids of every connection it lists, open or closed (for removal with the server). */
  peerIds(): string[] {
    return [...this.peers.keys(), ...this.closedPeers];
  }

  /** A connection left the engine by itself (removed by the user). */
  forget(peerId: string): void {
    this.peers.delete(peerId);
    const at = this.closedPeers.indexOf(peerId);
    if (at !== -1) this.closedPeers.splice(at, 1);
  }

  counted(direction: 'in' | 'out', bytes: number): void {
    if (direction === 'in') this.meter.countIn(bytes);
    else this.meter.countOut(bytes);
  }

  peerClosed(peer: TcpPeerSession): void {
    if (!this.peers.delete(peer.id)) return;
    this.closedPeers.push(peer.id);
    while (this.closedPeers.length > closedPeersKept) {
      const oldest = this.closedPeers.shift();
      if (oldest !== undefined) this.registry.drop(oldest);
    }
    this.sink.changed(this);
  }

  /** Zeroes the server's totals over its clients (each client keeps its own until reset). */
  resetCounters(): void {
    this.meter.reset();
  }

  tick(): boolean {
    return this.meter.tick();
  }

  info(): TcpServerInfo {
    const { options, behaviour } = this;
    return {
      id: this.id,
      kind: 'tcp-server',
      transport: 'tcp',
      label: this.label,
      state: this.state,
      local: this.localAddress,
      family: this.localAddress?.family ?? null,
      fd: this.fd,
      sinceUs: this.sinceUs,
      closedAtUs: this.closedAtUs,
      requested: { host: options.host, port: options.port },
      ipv6Only: options.ipv6Only,
      backlog: options.backlog,
      mode: behaviour.mode,
      requestEnd: behaviour.requestEnd,
      answer: behaviour.answer,
      idleKickSeconds: behaviour.idleKickSeconds,
      maxClients: behaviour.maxClients,
      keepAlive: options.keepAlive,
      noDelay: options.noDelay,
      peerIds: [...this.peers.keys()],
      clientsNow: this.peers.size,
      clientsTotal: this.clientsTotal,
      refusals: this.refusals,
      heartbeat: this.heartbeatInfo(),
      rules: this.rules?.state() ?? null,
      stats: this.meter.snapshot(),
      repeat: this.repeat.state(),
      writeQueue: {
        queuedBytes: [...this.peers.values()].reduce((sum, peer) => sum + peer.queuedBytes, 0),
        limitBytes: writeQueueLimitBytes,
      },
      lastError: this.lastError?.toEnvelope() ?? null,
    };
  }

  private heartbeatInfo(): TcpServerInfo['heartbeat'] {
    const settings = this.heartbeatSettings;
    if (settings === null) return null;
    let clients = 0;
    let dead = 0;
    let sent = 0;
    let replies = 0;
    for (const peer of this.peers.values()) {
      const summary = peer.heartbeatSummary();
      if (summary === null) continue;
      clients += 1;
      if (summary.dead) dead += 1;
      sent += summary.sent;
      replies += summary.replies;
    }
    return {
      ...settingsInForce(settings),
      clients,
      dead,
      deadTotal: this.deadTotal,
      sent,
      replies,
    };
  }

  private targets(peers: PeerTargets): TcpPeerSession[] {
    if (peers === 'all') return [...this.peers.values()];
    const unknown = peers.filter(
      (peerId) => !this.peers.has(peerId) && !this.closedPeers.includes(peerId),
    );
    if (unknown.length > 0)
      throw new SockscopeError(
        ErrorCode.sessionNotFound,
        `peers: ${this.label} has no client ${unknown.slice(0, 5).join(', ')}` +
          (unknown.length > 5 ? ` (and ${unknown.length - 5} more)` : ''),
        { sessionId: this.id, unknown: unknown.slice(0, 50) },
      );
    return peers.flatMap((peerId) => this.peers.get(peerId) ?? []);
  }

  private onListening(): void {
    const address = this.server.address();
    if (address !== null && typeof address === 'object')
      this.localAddress = socketAddress(address.address, address.port, address.family);
    this.fd = fileDescriptor(this.server);
    this.sinceUs = nowUs();
    this.state = tcpServerTransition(this.state, 'listening');
    const dual =
      this.options.host === '::'
        ? this.options.ipv6Only
          ? ' (IPv6 only)'
          : ' (IPv6 and IPv4)'
        : '';
    const granted =
      this.options.port === 0 ? ` (port ${this.localAddress?.port ?? 0} granted by the OS)` : '';
    const where = formatAddress(this.localAddress, '?');
    this.logEvent(
      'listening',
      `Listening on ${where}${dual}${granted}, backlog ${this.options.backlog}, mode ${modeWords[this.behaviour.mode]}`,
      {
        where,
        backlog: this.options.backlog,
        action: this.behaviour.mode,
        // The notes, so every language can say them (engine-words: listeningNotes).
        ...(this.options.host === '::'
          ? { stack: this.options.ipv6Only ? 'ipv6-only' : 'dual' }
          : {}),
        ...(this.options.port === 0 ? { granted: this.localAddress?.port ?? 0 } : {}),
      },
    );
    this.sink.changed(this);
  }

  private onConnection(socket: Socket): void {
    const { maxClients } = this.behaviour;
    if (this.state !== 'listening') {
      socket.destroy();
      return;
    }
    if (maxClients > 0 && this.peers.size >= maxClients) {
      this.refusals += 1;
      const from = socketAddress(socket.remoteAddress, socket.remotePort, socket.remoteFamily);
      this.logEvent(
        'refused',
        `Refused ${formatAddress(from)}: ${this.peers.size} clients connected, the maximum is ${maxClients} (RST sent)`,
        { remote: formatAddress(from), count: this.peers.size, max: maxClients },
        from,
      );
      socket.on('error', () => {});
      socket.resetAndDestroy();
      this.sink.changed(this);
      return;
    }
    const peer = new TcpPeerSession(peerIdOf(this.id, this.nextPeer++), socket, this, this.sink);
    this.peers.set(peer.id, peer);
    this.clientsTotal += 1;
    this.registry.add(peer);
    peer.start();
    if (this.heartbeatSettings !== null) peer.setHeartbeat(this.heartbeatSettings);
    this.sink.changed(this);
  }

  private onServerError(error: Error): void {
    const coded = socketError(error, formatAddress(this.localAddress, '?'));
    this.lastError = coded;
    this.logEvent('error', coded.message, errorParams(coded));
    this.sink.changed(this);
  }

  private logEvent(
    event: SessionEventKind,
    message: string,
    params: MessageParams | null = null,
    peer?: SocketAddress,
  ): void {
    this.sink.event(this, event, message, params, peer ?? null);
  }
}

const modeWords: Record<TcpServerBehaviour['mode'], string> = {
  interactive: 'interactive',
  echo: 'echo',
  'request-answer': 'one request, one answer',
};
