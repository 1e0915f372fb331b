import type {
  CommandInput,
  PeerTargets,
  RequestEnd,
  TcpPeerInfo,
  TcpServerInfo,
  TcpServerMode,
} from '@shared/contract';
import { api } from '../api';
import { failureOf } from '../lib/failure';
import { defaultHeartbeatFields } from '../lib/heartbeat-settings';
import type { HeartbeatFieldValues } from '../lib/heartbeat-settings';
import type { Failure } from '../lib/failure';
import { numberField } from '../lib/validate';
import { onEngineEvent } from './events';

/** What the listen form holds, as typed. */
export interface ListenForm {
  host: string;
  port: string;
  mode: TcpServerMode;
  requestEnd: RequestEnd['by'];
  requestBytes: string;
  quietMs: string;
  backlog: string;
  maxClients: string;
  idleKickSeconds: string;
  ipv6Only: boolean;
  noDelay: boolean;
  keepAlive: boolean;
  /** A heartbeat each client gets from its accept on (never reconnect: a server does not dial). */
  heartbeatOn: boolean;
  heartbeat: HeartbeatFieldValues;
}

/** How often the clients lists are rebuilt from the updates that arrived. */
const publishEveryMs = 200;

/** The request end as the engine takes it, from the fields as typed. */
export function requestEndOf(values: {
  requestEnd: RequestEnd['by'];
  requestBytes: string;
  quietMs: string;
}): RequestEnd {
  if (values.requestEnd === 'bytes')
    return { by: 'bytes', count: numberField(values.requestBytes) as number };
  if (values.requestEnd === 'quiet')
    return { by: 'quiet', ms: numberField(values.quietMs) as number };
  return { by: 'line' };
}

/**
 * The TCP servers the engine reports and their clients. Clients (`tcp-peer`
 * sessions) can number thousands, so they are kept in plain maps and published
 * as a new snapshot a few times a second when any changed, never as deep
 * reactive state.
 */
class ServersState {
  servers = $state.raw<Record<string, TcpServerInfo>>({});
  order = $state.raw<string[]>([]);
  /** Per server, its clients in accept order: a new array each time it changed. */
  clients = $state.raw<Record<string, readonly TcpPeerInfo[]>>({});
  /** The shown server's id, or null for the "new server" form. */
  activeId = $state<string | null>(null);
  /** Selected client ids of the shown server. */
  selected = $state.raw<ReadonlySet<string>>(new Set());
  /** The client whose socket facts are shown (the last one clicked). */
  focusedPeerId = $state<string | null>(null);
  listening = $state(false);
  failure = $state<Failure | null>(null);
  form = $state<ListenForm>({
    host: '0.0.0.0',
    port: '0',
    mode: 'interactive',
    requestEnd: 'line',
    requestBytes: '16',
    quietMs: '200',
    backlog: '511',
    maxClients: '0',
    idleKickSeconds: '0',
    ipv6Only: false,
    noDelay: true,
    keepAlive: false,
    heartbeatOn: false,
    heartbeat: defaultHeartbeatFields(),
  });

  private readonly peers = new Map<string, TcpPeerInfo>();
  private readonly dirtyServers = new Set<string>();
  private frameRequested = false;

  constructor() {
    onEngineEvent((event) => {
      if (event.type === 'session.update') {
        const { session } = event;
        if (session.kind === 'tcp-server') this.upsertServer(session);
        else if (session.kind === 'tcp-peer') this.upsertPeer(session);
      } else if (event.type === 'session.removed') this.forget(event.sessionId);
    });
    void api
      .call('session.list', {})
      .then((list) => {
        for (const session of list) {
          if (session.kind === 'tcp-server') this.upsertServer(session);
          else if (session.kind === 'tcp-peer') this.upsertPeer(session);
        }
      })
      .catch(() => {});
  }

  get active(): TcpServerInfo | null {
    return this.activeId === null ? null : (this.servers[this.activeId] ?? null);
  }

  list(): TcpServerInfo[] {
    return this.order.flatMap((id) => this.servers[id] ?? []);
  }

  clientsOf(serverId: string): readonly TcpPeerInfo[] {
    return this.clients[serverId] ?? [];
  }

  peer(peerId: string): TcpPeerInfo | undefined {
    // Read the published lists first: a view showing one client updates when they are rebuilt.
    void this.clients;
    return this.peers.get(peerId);
  }

  /** The selection as the engine takes it, or null when nothing is selected. */
  selectedTargets(): PeerTargets | null {
    const ids = [...this.selected].filter((id) => this.peers.get(id)?.state !== 'closed');
    return ids.length === 0 ? null : ids;
  }

  select(ids: Iterable<string>): void {
    this.selected = new Set(ids);
  }

  async listen(args: CommandInput<'tcp.listen'>): Promise<void> {
    this.listening = true;
    this.failure = null;
    try {
      const server = await api.call('tcp.listen', args);
      this.upsertServer(server);
      this.show(server.id);
    } catch (error) {
      this.failure = failureOf(error);
    } finally {
      this.listening = false;
    }
  }

  show(serverId: string | null): void {
    this.activeId = serverId;
    this.selected = new Set();
    this.focusedPeerId = null;
  }

  /** Runs a server command; its failure lands in `failure` instead of being thrown. */
  async run<T>(action: () => Promise<T>): Promise<T | null> {
    this.failure = null;
    try {
      return await action();
    } catch (error) {
      this.failure = failureOf(error);
      return null;
    }
  }

  configure(args: CommandInput<'tcp.server.configure'>): Promise<unknown> {
    return this.run(async () => this.upsertServer(await api.call('tcp.server.configure', args)));
  }

  disconnect(serverId: string, peers: PeerTargets, reset: boolean): Promise<unknown> {
    return this.run(() => api.call('tcp.server.disconnect', { sessionId: serverId, peers, reset }));
  }

  stop(serverId: string): Promise<unknown> {
    return this.run(() => api.call('session.close', { sessionId: serverId }));
  }

  async remove(serverId: string): Promise<void> {
    await this.run(() => api.call('session.remove', { sessionId: serverId }));
    this.forget(serverId);
  }

  private upsertServer(server: TcpServerInfo): void {
    if (!(server.id in this.servers)) this.order = [...this.order, server.id];
    this.servers = { ...this.servers, [server.id]: server };
  }

  private upsertPeer(peer: TcpPeerInfo): void {
    this.peers.set(peer.id, peer);
    this.dirtyServers.add(peer.serverId);
    this.publishSoon();
  }

  private forget(sessionId: string): void {
    const peer = this.peers.get(sessionId);
    if (peer !== undefined) {
      this.peers.delete(sessionId);
      this.dirtyServers.add(peer.serverId);
      if (this.selected.has(sessionId))
        this.selected = new Set([...this.selected].filter((id) => id !== sessionId));
      if (this.focusedPeerId === sessionId) this.focusedPeerId = null;
      this.publishSoon();
      return;
    }
    if (!(sessionId in this.servers)) return;
    const rest = { ...this.servers };
    delete rest[sessionId];
    this.servers = rest;
    const index = this.order.indexOf(sessionId);
    this.order = this.order.filter((id) => id !== sessionId);
    if (this.activeId === sessionId) this.show(this.order[Math.max(0, index - 1)] ?? null);
  }

  /**
   * Rebuilds the changed servers' client lists at most every {@link publishEveryMs},
   * however many updates came: a thousand clients' counters need not move at 60 fps.
   */
  private publishSoon(): void {
    if (this.frameRequested) return;
    this.frameRequested = true;
    setTimeout(() => {
      this.frameRequested = false;
      const next = { ...this.clients };
      const rebuilt: Record<string, TcpPeerInfo[]> = {};
      for (const serverId of this.dirtyServers) rebuilt[serverId] = [];
      for (const peer of this.peers.values()) rebuilt[peer.serverId]?.push(peer);
      Object.assign(next, rebuilt);
      this.dirtyServers.clear();
      this.clients = next;
    }, publishEveryMs);
  }
}

export const servers = new ServersState();
