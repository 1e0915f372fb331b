import type { SessionInfo, TcpClientInfo } from '@shared/contract';
import { api } from '../api';
import { failureOf } from '../lib/failure';
import type { Failure } from '../lib/failure';
import { onEngineEvent, onResync } from './events';

/** What the connect form holds, as typed. */
export interface ConnectForm {
  host: string;
  port: string;
  family: 'any' | 'ipv4' | 'ipv6';
  localAddress: string;
  localPort: string;
  connectTimeoutMs: string;
  keepAlive: boolean;
  keepAliveInitialDelayMs: string;
  /** Empty: the OS's default. */
  keepAliveIntervalMs: string;
  keepAliveCount: string;
  noDelay: boolean;
  idleTimeoutMs: string;
  idleAction: 'close' | 'mark';
}

/** Every session the engine reports, and which one the TCP client screen shows. */
class SessionsState {
  byId = $state<Record<string, SessionInfo>>({});
  order = $state<string[]>([]);
  /** The shown session's id, or null for the "new connection" form. */
  activeId = $state<string | null>(null);
  connecting = $state(false);
  failure = $state<Failure | null>(null);
  form = $state<ConnectForm>({
    host: '127.0.0.1',
    port: '',
    family: 'any',
    localAddress: '',
    localPort: '',
    connectTimeoutMs: '10000',
    keepAlive: false,
    keepAliveInitialDelayMs: '30000',
    keepAliveIntervalMs: '',
    keepAliveCount: '',
    noDelay: true,
    idleTimeoutMs: '0',
    idleAction: 'mark',
  });

  constructor() {
    onEngineEvent((event) => {
      if (event.type === 'session.update') this.upsert(event.session);
      else if (event.type === 'session.removed') this.forget(event.sessionId);
    });
    onResync(() => this.refresh());
    this.refresh();
  }

  /** Takes the engine's list as the truth: sessions it no longer has are forgotten. */
  refresh(): void {
    void api
      .call('session.list', {})
      .then((list) => {
        const current = new Set(list.map((session) => session.id));
        for (const id of [...this.order]) if (!current.has(id)) this.forget(id);
        list.forEach((session) => this.upsert(session));
      })
      .catch(() => {});
  }

  /** The TCP client screen's shown session. */
  get active(): TcpClientInfo | null {
    const session = this.activeId === null ? undefined : this.byId[this.activeId];
    return session?.kind === 'tcp-client' ? session : null;
  }

  /** The TCP client sessions, in the order they were opened. */
  list(): TcpClientInfo[] {
    return this.order
      .map((id) => this.byId[id])
      .filter((session): session is TcpClientInfo => session?.kind === 'tcp-client');
  }

  /** Every session of every kind, in the order they were opened. */
  all(): SessionInfo[] {
    return this.order
      .map((id) => this.byId[id])
      .filter((session): session is SessionInfo => session !== undefined);
  }

  upsert(session: SessionInfo): void {
    // A server's clients can number thousands: the servers state keeps them.
    if (session.kind === 'tcp-peer') return;
    if (!(session.id in this.byId)) this.order.push(session.id);
    this.byId[session.id] = session;
  }

  async connect(
    args: Parameters<typeof api.call<'tcp.connect'>>[1],
  ): Promise<TcpClientInfo | null> {
    this.connecting = true;
    this.failure = null;
    try {
      const session = await api.call('tcp.connect', args);
      this.upsert(session);
      this.activeId = session.id;
      return session;
    } catch (error) {
      this.failure = failureOf(error);
      return null;
    } finally {
      this.connecting = false;
    }
  }

  /** Runs a session action; its failure lands in `failure` instead of being thrown. */
  async act(
    command: 'session.close' | 'session.reconnect' | 'session.shutdown' | 'session.stopRepeat',
    sessionId: string,
  ): Promise<void> {
    this.failure = null;
    try {
      this.upsert(await api.call(command, { sessionId }));
    } catch (error) {
      this.failure = failureOf(error);
    }
  }

  async remove(sessionId: string): Promise<void> {
    await api.call('session.remove', { sessionId }).catch(() => {});
    this.forget(sessionId);
  }

  private forget(sessionId: string): void {
    if (!(sessionId in this.byId)) return;
    delete this.byId[sessionId];
    const index = this.order.indexOf(sessionId);
    this.order.splice(index, 1);
    if (this.activeId === sessionId) this.activeId = this.order[Math.max(0, index - 1)] ?? null;
  }
}

export const sessions = new SessionsState();
