import type { SockscopeApi } from '@shared/api';
import type { CommandInput, SessionInfo, TcpClientInfo } from '@shared/contract';
import { api } from '../api';
import { failureOf } from '../lib/failure';
import { defaultHeartbeatFields } from '../lib/heartbeat-settings';
import type { HeartbeatFieldValues } from '../lib/heartbeat-settings';
import type { Failure } from '../lib/failure';
import { engineEvents } from './events';
import type { EngineEvents } from './events';

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
  /** Whether the connect carries the heartbeat below. */
  heartbeatOn: boolean;
  heartbeat: HeartbeatFieldValues;
}

/** A session whose connection is over: its tab can go without asking. */
export function isFinished(session: SessionInfo): boolean {
  return session.state === 'closed' || session.state === 'failed';
}

/** Every session the engine reports, and which one the TCP client screen shows. */
export class SessionsState {
  byId = $state<Record<string, SessionInfo>>({});
  order = $state<string[]>([]);
  /** The shown session's id, or null for the "new connection" form. */
  activeId = $state<string | null>(null);
  connecting = $state(false);
  /** A failed connect (shown by the connect form). */
  connectFailure = $state<Failure | null>(null);
  /** A failed session action (shown above the session). */
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
    heartbeatOn: false,
    heartbeat: defaultHeartbeatFields(),
  });
  /** Sessions that existed when the pending connect began: any other connecting one is its. */
  private knownBeforeConnect: readonly string[] | null = null;
  /**
   * Ids the engine said it removed. Ids are never reused, and a batch may carry a
   * removed session's last update after its removal: that must not bring it back.
   */
  private readonly removed: Record<string, true> = {};

  constructor(
    private readonly engine: SockscopeApi,
    events: EngineEvents,
  ) {
    events.on((event) => {
      if (event.type === 'session.update') this.upsert(event.session);
      else if (event.type === 'session.removed') this.forget(event.sessionId);
    });
    // Missed batches: the engine's list is the truth again.
    events.onResync(() => void this.load().catch(() => {}));
  }

  /**
   * Takes the engine's list as the truth (after a reload, or when batches were
   * lost): sessions it no longer has are forgotten.
   */
  async load(): Promise<void> {
    const list = await this.engine.call('session.list', {});
    const current = list.map((session) => session.id);
    for (const id of [...this.order]) if (!current.includes(id)) this.forget(id);
    list.forEach((session) => this.upsert(session));
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

  /** Closed and failed sessions, whose tabs can be closed in bulk. */
  finished(): TcpClientInfo[] {
    return this.list().filter(isFinished);
  }

  /** Every session of every kind, in the order they were opened. */
  all(): SessionInfo[] {
    return this.order
      .map((id) => this.byId[id])
      .filter((session): session is SessionInfo => session !== undefined);
  }

  upsert(session: SessionInfo): void {
    if (this.removed[session.id]) return;
    // A server's clients can number thousands: the servers state keeps them.
    if (session.kind === 'tcp-peer') return;
    if (!(session.id in this.byId)) this.order.push(session.id);
    this.byId[session.id] = session;
  }

  async connect(args: CommandInput<'tcp.connect'>): Promise<TcpClientInfo | null> {
    this.connecting = true;
    this.connectFailure = null;
    this.knownBeforeConnect = [...this.order];
    try {
      const session = await this.engine.call('tcp.connect', args);
      this.upsert(session);
      this.activeId = session.id;
      return session;
    } catch (error) {
      this.connectFailure = failureOf(error);
      return null;
    } finally {
      this.connecting = false;
      this.knownBeforeConnect = null;
    }
  }

  /** Gives up on the connect in progress: its session closes and shows as failed. */
  async cancelConnect(): Promise<void> {
    const known = this.knownBeforeConnect;
    if (known === null) return;
    const pending = this.list().filter(
      (session) => session.state === 'connecting' && !known.includes(session.id),
    );
    await Promise.all(pending.map((session) => this.act('session.close', session.id)));
  }

  /** Runs a session action; its failure lands in `failure` instead of being thrown. */
  async act(
    command: 'session.close' | 'session.reconnect' | 'session.shutdown' | 'session.stopRepeat',
    sessionId: string,
  ): Promise<void> {
    this.failure = null;
    try {
      this.upsert(await this.engine.call(command, { sessionId }));
    } catch (error) {
      this.failure = failureOf(error);
    }
  }

  /** Removes a session: its socket closes and its tab goes; its log records stay. */
  async remove(sessionId: string): Promise<void> {
    this.failure = null;
    try {
      await this.engine.call('session.remove', { sessionId });
    } catch (error) {
      this.failure = failureOf(error);
    }
    this.forget(sessionId);
  }

  /** Closes the tabs of every closed and failed session. */
  async removeFinished(): Promise<void> {
    await Promise.all(this.finished().map((session) => this.remove(session.id)));
  }

  private forget(sessionId: string): void {
    this.removed[sessionId] = true;
    if (!(sessionId in this.byId)) return;
    delete this.byId[sessionId];
    const index = this.order.indexOf(sessionId);
    this.order.splice(index, 1);
    if (this.activeId === sessionId) this.activeId = this.order[Math.max(0, index - 1)] ?? null;
  }
}

export const sessions = new SessionsState(api, engineEvents);
