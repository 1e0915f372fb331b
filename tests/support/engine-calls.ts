import type {
  CommandInput,
  CommandName,
  CommandResult,
  EventBatch,
  TcpClientInfo,
  TcpPeerInfo,
  TcpServerInfo,
} from '@shared/contract';
import { SockscopeError } from '@shared/errors';
import type { Engine } from '../../src/main/engine';
import { dispatch } from '../../src/main/router';

/** Calls the engine through the router (validation included) and unwraps like the renderer. */
export async function call<K extends CommandName>(
  engine: Engine,
  command: K,
  args: CommandInput<K>,
): Promise<CommandResult<K>> {
  const envelope = await dispatch(engine, command, args);
  if (envelope.ok) return envelope.result as CommandResult<K>;
  throw SockscopeError.fromEnvelope(envelope.error);
}

/** Collects every batch the engine flushes, for tests that watch the event path. */
export function collectBatches(engine: Engine): { batches: EventBatch[]; stop(): void } {
  const batches: EventBatch[] = [];
  const stop = engine.events.subscribe((batch) => batches.push(batch));
  return { batches, stop };
}

/** Waits until `check` passes, polling; fails after `timeoutMs` with the last error. */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      return await check();
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  throw lastError;
}

/** A session's info, which must be a TCP client's. */
/** A TCP server's info; throws when the session is of another kind. */
export async function tcpServerInfo(engine: Engine, sessionId: string): Promise<TcpServerInfo> {
  const info = await call(engine, 'session.info', { sessionId });
  if (info.kind !== 'tcp-server') throw new Error(`${sessionId} is a ${info.kind}`);
  return info;
}

/** A server's client's info; throws when the session is of another kind. */
export async function tcpPeerInfo(engine: Engine, sessionId: string): Promise<TcpPeerInfo> {
  const info = await call(engine, 'session.info', { sessionId });
  if (info.kind !== 'tcp-peer') throw new Error(`${sessionId} is a ${info.kind}`);
  return info;
}

export async function tcpClientInfo(engine: Engine, sessionId: string): Promise<TcpClientInfo> {
  const info = await call(engine, 'session.info', { sessionId });
  if (info.kind !== 'tcp-client')
    throw new Error(`${sessionId} is a ${info.kind}, not a tcp-client`);
  return info;
}
