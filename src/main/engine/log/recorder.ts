import type { EngineEvent, SessionInfo } from '@shared/contract';
import type {
  Direction,
  MessageParams,
  SessionEventKind,
  SocketAddress,
} from '@shared/contract/log';
import { nowUs } from '../clock';
import type { EventBus } from './event-bus';
import type { LogStore } from './log-store';
import type { RecordingSession, SessionSink } from '../sockets/session-sink';
import type { StoredRecord } from './stored-record';
import { recordPreview } from './stored-record';
import { InboundTaps } from './taps';

/** The bus key of a session's latest state: one update per session per flush. */
export function sessionUpdateKey(sessionId: string): string {
  return `session:${sessionId}`;
}

/**
 * The hot path: every packet and session event goes into the log store with its
 * full bytes, and into the next event batch as a capped preview. State changes
 * coalesce to one update per session per flush, built at the flush.
 */
export class Recorder implements SessionSink {
  private evictedSeen = 0;
  readonly inboundTaps = new InboundTaps();

  constructor(
    private readonly store: LogStore,
    private readonly bus: EventBus,
  ) {}

  packet(
    session: RecordingSession,
    direction: 'in' | 'out',
    bytes: Uint8Array,
    peer: SocketAddress | null,
    tag?: string,
  ): Uint8Array {
    const stored = this.append(session, direction, bytes, peer, null, tag ?? null);
    if (direction === 'in' && this.inboundTaps.size > 0)
      this.inboundTaps.call(session, stored, peer, this.tapFailed);
    return stored.bytes;
  }

  event(
    session: RecordingSession,
    kind: SessionEventKind,
    message: string,
    params: MessageParams | null = null,
    peer: SocketAddress | null = session.remote,
  ): void {
    this.append(session, 'event', emptyBytes, peer, kind, message, params);
  }

  changed(session: { readonly id: string; info(): SessionInfo }): void {
    this.bus.emitLatest(sessionUpdateKey(session.id), () => ({
      type: 'session.update',
      session: session.info(),
    }));
  }

  private append(
    session: RecordingSession,
    direction: Direction,
    bytes: Uint8Array,
    peer: SocketAddress | null,
    event: SessionEventKind | null,
    message: string | null,
    params: MessageParams | null = null,
  ): StoredRecord {
    const stored = this.store.append({
      id: 0,
      atUs: nowUs(),
      sessionId: session.id,
      transport: session.transport,
      direction,
      local: session.local,
      remote: peer,
      size: bytes.byteLength,
      event,
      message,
      params,
      charset: session.charset,
      bytes,
    });
    this.bus.emitRecord(recordPreview(stored));
    if (this.store.evictedCount !== this.evictedSeen) {
      this.evictedSeen = this.store.evictedCount;
      this.bus.emitLatest('log.stats', this.logStats);
    }
    return stored;
  }

  private readonly tapFailed = (error: unknown): void => {
    this.bus.emit({
      type: 'notice',
      level: 'error',
      message: `An inbound tap failed: ${error instanceof Error ? error.message : String(error)}`,
      atUs: nowUs(),
    });
  };

  private readonly logStats = (): EngineEvent => ({ type: 'log.stats', stats: this.store.stats() });
}

const emptyBytes = new Uint8Array(0);
