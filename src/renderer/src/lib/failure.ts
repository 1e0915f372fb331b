import type { ErrorEnvelope } from '@shared/errors';
import { ErrorCode, SockscopeError } from '@shared/errors';
import type { FieldProblem } from './validate';

/** Something that went wrong, as every alert in the UI shows it. */
export interface Failure {
  code: ErrorCode;
  message: string;
  osCode: string | null;
  /** The field a form refused; null when the engine answered (its message names it). */
  field: string | null;
  /** What the renderer words the failure from (the engine's details). */
  details?: Record<string, unknown> | undefined;
}

export function failureOfEnvelope(envelope: ErrorEnvelope): Failure {
  const osCode = envelope.details?.osCode;
  return {
    code: envelope.code,
    message: envelope.message,
    osCode: typeof osCode === 'string' ? osCode : null,
    field: null,
    details: envelope.details,
  };
}

/** Any thrown value as a failure; coded errors keep their code and OS code. */
export function failureOf(error: unknown): Failure {
  if (error instanceof SockscopeError) return failureOfEnvelope(error.toEnvelope());
  return {
    code: ErrorCode.internal,
    message: error instanceof Error ? error.message : String(error),
    osCode: null,
    field: null,
  };
}

/** A form's own refusal, before anything reached the engine. */
export function refusal(problem: FieldProblem): Failure {
  return {
    code: ErrorCode.invalidArgs,
    message: problem.message,
    osCode: null,
    field: problem.field === '' ? null : problem.field,
  };
}
