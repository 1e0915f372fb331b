import type { CommandName, CommandResult } from '@shared/contract';
import { ErrorCode, ErrorEnvelope, SockscopeError } from '@shared/errors';
import type { CallEnvelope } from '@shared/errors';

/** Returns the result of a successful call, or throws the envelope's error as an Error. */
export function unwrap<K extends CommandName>(envelope: CallEnvelope): CommandResult<K> {
  if (envelope.ok) return envelope.result as CommandResult<K>;
  const parsed = ErrorEnvelope.safeParse(envelope.error);
  throw parsed.success
    ? SockscopeError.fromEnvelope(parsed.data)
    : new SockscopeError(ErrorCode.internal, 'The engine sent an unreadable error');
}
