import { commands } from '@shared/contract';
import type { CommandName } from '@shared/contract';

export interface FieldProblem {
  /** The argument's path, like "port" or "payload.text". */
  field: string;
  message: string;
}

/** Checks arguments against the schema the engine's boundary will use. */
export function validateArgs(command: CommandName, args: unknown): FieldProblem | null {
  const parsed = commands[command].args.safeParse(args);
  if (parsed.success) return null;
  const issue = parsed.error.issues[0];
  return {
    field: issue?.path.map(String).join('.') ?? '',
    message: issue?.message ?? 'is not valid',
  };
}

/** A typed number; empty stays undefined so the schema can say the field is missing. */
export function numberField(text: string): number | undefined {
  return text.trim() === '' ? undefined : Number(text.trim());
}
