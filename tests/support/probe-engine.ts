// For probes that run in a network namespace of their test's own: an engine and a
// call through the router (validation included) that rejects with the error envelope.
import type { CommandInput, CommandName, CommandResult } from '@shared/contract';
import { Engine } from '../../src/main/engine';
import { dispatch } from '../../src/main/router';

export const engine = await Engine.start({ transport: 'web', version: 'probe' });

export async function call<K extends CommandName>(
  command: K,
  args: CommandInput<K>,
): Promise<CommandResult<K>> {
  const envelope = await dispatch(engine, command, args);
  if (envelope.ok) return envelope.result as CommandResult<K>;
  throw Object.assign(new Error(envelope.error.message), envelope.error);
}
