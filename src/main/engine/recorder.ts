import type { EngineEvent } from '@shared/contract';
import type {
  Direction,
  LogRecordPreview,
  MessageParams,
  SessionEventKind,
} from '@shared/contract/log';
import { previewBytes } from '@shared/contract/log';
import { nowUs } from './clock';
import type { EventBus } from './event-bus';
import type { LogStore } from './log-store';
import type { RecordingSession, SessionSink } from './session-sink';
import type { StoredRecord } from './stored-record';
import { recordMeta } from './stored-record';

function preview(record: StoredRecord): LogRecordPreview {
  const bytes = record.bytes;
  const shown = bytes.byteLength > previewBytes ? bytes.subarray(0, previewBytes) : bytes;
  const meta = recordMeta(record) as LogRecordPreview;
  meta.preview = Buffer.from(shown.buffer, shown.byteOffset, shown.byteLength).toString('base64');
  meta.truncated = bytes.byteLength > previewBytes;
  return meta;
}

/**
 * The hot path: every packet and session event goes into the log store with its
 * full bytes, and into the next event batch as a capped preview. State changes
 * coalesce to one update per session per flush, built at the flush.
 */
export class Recorder implements SessionSink {
  private evictedSeen = 0;

  constructor(
    private readonly store: LogStore,
    private readonly bus: EventBus,
  ) {}

  record(
    session: RecordingSession,
    direction: Direction,
    bytes: Uint8Array,
    event: SessionEventKind | null,
    message: string | null,
    params?: MessageParams,
  ): void {
    const stored = this.store.append({
      atUs: nowUs(),
      sessionId: session.id,
      transport: 'tcp',
      direction,
      local: session.local,
      remote: session.remote,
      size: bytes.byteLength,
      event,
      message,
      params: params ?? null,
      charset: session.charset,
      bytes,
    });
    this.bus.emitRecord(preview(stored));
    if (this.store.evictedCount !== this.evictedSeen) {
      this.evictedSeen = this.store.evictedCount;
      this.bus.emitLatest('log.stats', this.logStats);
    }
  }

  changed(session: RecordingSession): void {
    this.bus.emitLatest(`session:${session.id}`, () => ({
      type: 'session.update',
      session: session.info(),
    }));
  }

  private readonly logStats = (): EngineEvent => ({ type: 'log.stats', stats: this.store.stats() });
}
