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

function invalidArgs(command: string, issues: readonly z.core.$ZodIssue[]): ErrorEnvelope {
  const fields = issues.map((issue) => issue.path.map(String).join('.'));
  // The first problem by itself, so the renderer can word it in the user's language.
  const first = issues[0];
  return {
    code: ErrorCode.invalidArgs,
    message: `Invalid arguments for ${command}: ${describeIssues(issues)}`,
    details: { command, fields, field: fields[0] ?? '', problem: first?.message ?? '' },
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
    return { ok: false, error: invalidArgs(command, parsed.error.issues) };
  }
  try {
    const result = await engine.run(command as CommandName, parsed.data as never);
    return { ok: true, result };
  } catch (error) {
    return { ok: false, error: toErrorEnvelope(error) };
  }
}
