import type { CommandArgs, CommandName, CommandResult } from '@shared/contract';
import { ErrorCode, SockscopeError } from '@shared/errors';
import { EventBus } from './event-bus';
import { Lookups } from './lookups';
import { ServicesDatabase } from './services-db';

export interface EngineOptions {
  transport: 'electron' | 'web';
  version: string;
  /** Where to read the services database; the OS's own file when absent. */
  servicesPath?: string;
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
  private readonly lookups = new Lookups();
  private closed = false;

  private constructor(
    private readonly options: EngineOptions,
    private readonly services: ServicesDatabase,
  ) {
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
      'services.byName': async (args) => this.services.byName(args.name, args.protocol),
      'services.byPort': async (args) => this.services.byPort(args.port, args.protocol),
      'services.search': async (args) =>
        this.services.search(args.prefix, args.protocol, args.limit),
      'services.source': async () => this.services.source(),
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
    this.events.close();
  }
}
