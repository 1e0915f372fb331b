import type { SockscopeApi } from '@shared/api';
import type { CommandInput, CommandName, EventBatch } from '@shared/contract';
import type { CallEnvelope } from '@shared/errors';
import type { Engine } from '../../src/main/engine';
import { dispatch } from '../../src/main/router';
import { unwrap } from '../../src/renderer/src/api/envelope';

/** What a transport does to every message: it arrives as a copy, never a shared object. */
function overTheWire<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * The renderer's api carried in-process: calls go through the real router (so the
 * contract's validation applies) and events come from the engine's real event bus,
 * serialized as a transport would. No fake engine.
 */
export function inProcessApi(engine: Engine): SockscopeApi {
  return {
    transport: 'web',
    call: async <K extends CommandName>(command: K, args: CommandInput<K>) =>
      unwrap<K>(overTheWire<CallEnvelope>(await dispatch(engine, command, args))),
    onEvents: (listener) =>
      engine.events.subscribe((batch: EventBatch) => listener(overTheWire(batch))),
  };
}
