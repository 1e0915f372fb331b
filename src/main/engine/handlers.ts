import type { CommandArgs, CommandName, CommandResult } from '@shared/contract';

/** The handlers of some commands: each domain builds its own, the engine joins them. */
export type HandlersFor<K extends CommandName> = {
  [P in K]: (args: CommandArgs<P>) => Promise<CommandResult<P>>;
};

/** A handler for every command in the contract. */
export type CommandHandlers = HandlersFor<CommandName>;
