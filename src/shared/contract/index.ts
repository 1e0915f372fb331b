import type { z } from 'zod';
import { appCommands } from './app';
import { logCommands } from './log';
import { lookupsCommands } from './lookups';
import { servicesCommands } from './services';
import { sessionsCommands } from './sessions';
import { udpCommands } from './udp';
import { settingsCommands } from './settings';
import { tcpServerCommands } from './tcp-server-commands';

/**
 * Every command: its name, the schema its arguments must pass at the boundary,
 * and the schema of what it returns. Types for all three layers come from here.
 * Each domain keeps its own map beside its schemas; this joins them.
 */
export const commands = {
  ...appCommands,
  ...lookupsCommands,
  ...servicesCommands,
  ...sessionsCommands,
  ...tcpServerCommands,
  ...logCommands,
  ...udpCommands,
  ...settingsCommands,
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

export * from './app';
export * from './events';
export * from './fields';
export * from './heartbeat';
export * from './log';
export * from './lookups';
export * from './payload';
export * from './rules';
export * from './sessions';
export * from './tcp-server';
export * from './tcp-server-commands';
export * from './services';
export * from './udp';
export * from './udp-facts';
export * from './settings';
