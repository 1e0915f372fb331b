import type { CommandArgs, CommandName, CommandResult } from '@shared/contract';
import { ErrorCode, SockscopeError } from '@shared/errors';
import { exportHandlers } from './export/handlers';
import { Exports } from './export/exports';
import type { CommandHandlers } from './handlers';
import { EventBus } from './log/event-bus';
import { logHandlers } from './log/handlers';
import { LogStore, defaultLogBudgetBytes } from './log/log-store';
import { Recorder } from './log/recorder';
import type { InboundTaps } from './log/taps';
import { lookupsHandlers, servicesHandlers } from './lookups/handlers';
import { Lookups } from './lookups/lookups';
import { ServicesDatabase } from './lookups/services-db';
import { settingsHandlers } from './settings/handlers';
import { SettingsStore } from './settings/settings-store';
import { sessionsHandlers } from './sockets/handlers';
import { Sessions } from './sockets/sessions';
import { keepAliveProbesSupported } from './sockets/tcp-client';
import { udpHandlers } from './sockets/udp-handlers';
import { tcpServerHandlers } from './sockets/tcp-server-handlers';

export interface EngineOptions {
  transport: 'electron' | 'web';
  version: string;
  /** Where to read the services database; the OS's own file when absent. */
  servicesPath?: string;
  /** The log's byte budget (default: the saved one, else 256 MiB). */
  logBudgetBytes?: number;
  /**
   * Where settings and history survive a restart; kept in memory only when absent.
   * Electron: app.getPath('userData'); browser mode: --data-dir or its default.
   */
  dataDir?: string;
}

/**
 * The engine owns every socket, lookup and timer. Both transports drive it
 * through the router; it never knows which one is calling.
 */
export class Engine {
  readonly events = new EventBus();
  readonly handlers: CommandHandlers;
  readonly log: LogStore;
  readonly settings: SettingsStore;
  /** Inbound packets, once logged, go to these in order (reply rules, watchdogs). */
  readonly inboundTaps: InboundTaps;
  private readonly lookups = new Lookups();
  private readonly sessions: Sessions;
  private readonly exports: Exports;
  private closed = false;

  private constructor(options: EngineOptions, services: ServicesDatabase, settings: SettingsStore) {
    this.settings = settings;
    this.log = new LogStore(
      options.logBudgetBytes ?? settings.current().log?.budgetBytes ?? defaultLogBudgetBytes,
    );
    const recorder = new Recorder(this.log, this.events);
    this.inboundTaps = recorder.inboundTaps;
    this.sessions = new Sessions(recorder, this.events);
    this.exports = new Exports(this.log);
    this.handlers = {
      'app.info': async () => ({
        name: 'sockscope',
        version: options.version,
        transport: options.transport,
        platform: process.platform,
        keepAliveProbes: keepAliveProbesSupported,
      }),
      ...lookupsHandlers(this.lookups),
      ...servicesHandlers(services),
      ...sessionsHandlers(this.sessions),
      ...udpHandlers(this.sessions),
      ...tcpServerHandlers(this.sessions),
      ...logHandlers(this.log, this.events, settings),
      ...exportHandlers(this.exports),
      ...settingsHandlers(settings, this.events),
    } satisfies CommandHandlers;
  }

  static async start(options: EngineOptions): Promise<Engine> {
    const [services, settings] = await Promise.all([
      ServicesDatabase.load(options.servicesPath),
      options.dataDir === undefined
        ? SettingsStore.inMemory()
        : SettingsStore.load(options.dataDir),
    ]);
    return new Engine(options, services, settings);
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
    await this.settings.flushed();
    this.events.close();
  }
}
