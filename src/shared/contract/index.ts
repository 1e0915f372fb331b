import { z } from 'zod';
import {
  AddressLookupArgs,
  AddressLookupResult,
  DnsQueryArgs,
  DnsQueryResult,
  DnsSystemServers,
  HostLookupArgs,
  HostLookupResult,
} from './lookups';
import {
  ServiceByNameArgs,
  ServiceByPortArgs,
  ServiceLookupResult,
  ServiceSearchArgs,
  ServiceSearchResult,
  ServicesSource,
} from './services';

import {
  LogBudgetArgs,
  LogExportArgs,
  LogExportReadArgs,
  LogExportReadResult,
  LogExportResult,
  LogReadArgs,
  LogReadResult,
  LogSearchArgs,
  LogSearchResult,
  LogStats,
} from './log';
import {
  RepeatArgs,
  SendArgs,
  SendResult,
  SessionInfo,
  SessionRef,
  TcpConnectArgs,
} from './sessions';

export const AppInfo = z.object({
  name: z.literal('sockscope'),
  version: z.string(),
  transport: z.enum(['electron', 'web']),
  platform: z.string(),
});
export type AppInfo = z.infer<typeof AppInfo>;

/**
 * Every command: its name, the schema its arguments must pass at the boundary,
 * and the schema of what it returns. Types for all three layers come from here.
 */
export const commands = {
  'app.info': { args: z.object({}), result: AppInfo },
  'lookup.host': { args: HostLookupArgs, result: HostLookupResult },
  'lookup.address': { args: AddressLookupArgs, result: AddressLookupResult },
  'lookup.dns': { args: DnsQueryArgs, result: DnsQueryResult },
  'lookup.dnsServers': { args: z.object({}), result: DnsSystemServers },
  'services.byName': { args: ServiceByNameArgs, result: ServiceLookupResult },
  'services.byPort': { args: ServiceByPortArgs, result: ServiceLookupResult },
  'services.search': { args: ServiceSearchArgs, result: ServiceSearchResult },
  'services.source': { args: z.object({}), result: ServicesSource },
  'tcp.connect': { args: TcpConnectArgs, result: SessionInfo },
  'session.list': { args: z.object({}), result: z.array(SessionInfo) },
  'session.info': { args: SessionRef, result: SessionInfo },
  'session.send': { args: SendArgs, result: SendResult },
  'session.repeat': { args: RepeatArgs, result: SessionInfo },
  'session.stopRepeat': { args: SessionRef, result: SessionInfo },
  'session.shutdown': { args: SessionRef, result: SessionInfo },
  'session.close': { args: SessionRef, result: SessionInfo },
  'session.reconnect': { args: SessionRef, result: SessionInfo },
  'session.remove': { args: SessionRef, result: z.object({ removed: z.boolean() }) },
  'log.stats': { args: z.object({}), result: LogStats },
  'log.read': { args: LogReadArgs, result: LogReadResult },
  'log.search': { args: LogSearchArgs, result: LogSearchResult },
  'log.clear': { args: z.object({}), result: LogStats },
  'log.setBudget': { args: LogBudgetArgs, result: LogStats },
  'log.export': { args: LogExportArgs, result: LogExportResult },
  'log.exportRead': { args: LogExportReadArgs, result: LogExportReadResult },
} as const;

export type Commands = typeof commands;
export type CommandName = keyof Commands;
/** What a caller passes (defaults may be left out). */
export type CommandInput<K extends CommandName> = z.input<Commands[K]['args']>;
/** What the engine receives once the boundary has validated and filled defaults. */
export type CommandArgs<K extends CommandName> = z.output<Commands[K]['args']>;
export type CommandResult<K extends CommandName> = z.output<Commands[K]['result']>;

export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(commands, name);
}

export * from './events';
export * from './fields';
export * from './log';
export * from './lookups';
export * from './payload';
export * from './sessions';
export * from './services';
