import type { CommandArgs, CommandName, CommandResult, SessionInfo } from '@shared/contract';
import { ErrorCode, SockscopeError } from '@shared/errors';
import { EventBus } from './event-bus';
import { Exports } from './exports';
import { searchLog } from './log-search';
import { LogStore, defaultLogBudgetBytes } from './log-store';
import { Lookups } from './lookups';
import { Recorder } from './recorder';
import { ServicesDatabase } from './services-db';
import { Sessions } from './sessions';
import { recordMeta } from './stored-record';
import type { TcpClientSession } from './tcp-client';

export interface EngineOptions {
  transport: 'electron' | 'web';
  version: string;
  /** Where to read the services database; the OS's own file when absent. */
  servicesPath?: string;
  /** The log's byte budget (default 256 MiB). */
  logBudgetBytes?: number;
}

export type CommandHandlers = {
  [K in CommandName]: (args: CommandArgs<K>) => Promise<CommandResult<K>>;
};

/**
 * The engine owns every socket, lookup and timer. Both transports drive it
 * through the router; it never knows which one is calling.
 */
export class Engine {
  readonly events = new EventBus();
  readonly handlers: CommandHandlers;
  readonly log: LogStore;
  private readonly lookups = new Lookups();
  private readonly sessions: Sessions;
  private readonly exports: Exports;
  private closed = false;

  private constructor(
    private readonly options: EngineOptions,
    private readonly services: ServicesDatabase,
  ) {
    this.log = new LogStore(options.logBudgetBytes ?? defaultLogBudgetBytes);
    this.sessions = new Sessions(new Recorder(this.log, this.events), this.events);
    this.exports = new Exports(this.log);
    const session = (sessionId: string) => this.sessions.get(sessionId);
    /** Runs an action on a session, then reports the session as it stands. */
    const act = async (
      sessionId: string,
      action: (found: TcpClientSession) => unknown,
    ): Promise<SessionInfo> => {
      const found = session(sessionId);
      await action(found);
      return found.info();
    };
    this.handlers = {
      'app.info': async () => ({
        name: 'sockscope',
        version: this.options.version,
        transport: this.options.transport,
        platform: process.platform,
      }),
      'lookup.host': (args) => this.lookups.host(args),
      'lookup.address': (args) => this.lookups.address(args),
      'lookup.dns': (args) => this.lookups.dns(args),
      'lookup.dnsServers': async () => this.lookups.dnsServers(),
      'services.byName': async (args) => this.services.byName(args.name, args.protocol),
      'services.byPort': async (args) => this.services.byPort(args.port, args.protocol),
      'services.search': async (args) =>
        this.services.search(args.prefix, args.protocol, args.limit),
      'services.source': async () => this.services.source(),
      'tcp.connect': (args) => this.sessions.connectTcp(args),
      'session.list': async () => this.sessions.list(),
      'session.info': async ({ sessionId }) => session(sessionId).info(),
      'session.send': async ({ sessionId, payload }) => ({
        bytes: await this.sessions.send(sessionId, payload),
      }),
      'session.repeat': async ({ sessionId, payload, intervalMs, count }) =>
        this.sessions.repeat(sessionId, payload, intervalMs, count),
      'session.stopRepeat': ({ sessionId }) => act(sessionId, (found) => found.stopRepeat()),
      'session.shutdown': ({ sessionId }) => act(sessionId, (found) => found.shutdown()),
      'session.close': ({ sessionId }) => act(sessionId, (found) => found.close()),
      'session.reconnect': ({ sessionId }) => act(sessionId, (found) => found.reconnect()),
      'session.remove': async ({ sessionId }) => ({
        removed: await this.sessions.remove(sessionId),
      }),
      'log.stats': async () => this.log.stats(),
      'log.read': async ({ id }) => {
        const record = this.log.get(id);
        if (record === undefined) {
          const oldest = this.log.stats().oldestId;
          const evicted = oldest !== null && id < oldest;
          throw new SockscopeError(
            ErrorCode.invalidArgs,
            evicted
              ? `Record ${id} was evicted to keep the log within its byte budget`
              : `No record with id ${id}`,
            { id, reason: evicted ? 'evicted' : 'no-record' },
          );
        }
        const { bytes } = record;
        return {
          record: recordMeta(record),
          bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'),
        };
      },
      'log.search': async (args) => ({ matches: searchLog(this.log, args) }),
      'log.clear': async () => {
        this.events.flush();
        this.log.clear();
        this.events.emit({ type: 'log.cleared' });
        return this.log.stats();
      },
      'log.setBudget': async ({ budgetBytes }) => {
        this.log.setBudget(budgetBytes);
        const stats = this.log.stats();
        this.events.emitLatest('log.stats', { type: 'log.stats', stats });
        return stats;
      },
      'log.export': async ({ format, sessionId, charset }) =>
        this.exports.create(format, sessionId, charset),
      'log.exportRead': async ({ exportId, offset, length }) =>
        this.exports.read(exportId, offset, length),
    };
  }

  static async start(options: EngineOptions): Promise<Engine> {
    const services = await ServicesDatabase.load(options.servicesPath);
    return new Engine(options, services);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  async run<K extends CommandName>(command: K, args: CommandArgs<K>): Promise<CommandResult<K>> {
    if (this.closed) throw new SockscopeError(ErrorCode.engineClosed, 'The engine has shut down');
    const handler = this.handlers[command] as (args: CommandArgs<K>) => Promise<CommandResult<K>>;
    return handler(args);
  }

  /** Closes every socket, lookup and timer the engine owns. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.lookups.close();
    await this.sessions.closeAll();
    this.exports.closeAll();
    this.events.close();
  }
}
