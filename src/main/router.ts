import type { z } from 'zod';
import { commands, isCommandName } from '@shared/contract';
import type { CommandName } from '@shared/contract';
import { ErrorCode, toErrorEnvelope } from '@shared/errors';
import type { CallEnvelope, ErrorEnvelope } from '@shared/errors';
import type { Engine } from './engine';

/** Turns schema issues into one sentence that names each field and what is wrong. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const field = issue.path.map(String).join('.');
      return field === '' ? issue.message : `${field}: ${issue.message}`;
    })
    .join('; ');
}

function invalidArgs(command: string, message: string, fields: string[]): ErrorEnvelope {
  return {
    code: ErrorCode.invalidArgs,
    message: `Invalid arguments for ${command}: ${message}`,
    details: { command, fields },
  };
}

/**
 * The one place a call enters the engine: the command must exist, its arguments
 * must pass the contract's schema, and whatever happens comes back as an envelope.
 */
export async function dispatch(
  engine: Engine,
  command: unknown,
  args: unknown,
): Promise<CallEnvelope> {
  if (!isCommandName(command)) {
    const name = typeof command === 'string' ? command.slice(0, 80) : typeof command;
    return {
      ok: false,
      error: { code: ErrorCode.unknownCommand, message: `Unknown command: ${name}` },
    };
  }
  const parsed = commands[command].args.safeParse(args ?? {});
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.map(String).join('.'));
    return { ok: false, error: invalidArgs(command, describeIssues(parsed.error.issues), fields) };
  }
  try {
    const result = await engine.run(command as CommandName, parsed.data as never);
    return { ok: true, result };
  } catch (error) {
    return { ok: false, error: toErrorEnvelope(error) };
  }
}
