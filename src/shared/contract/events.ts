import { z } from 'zod';
import { LogRecordPreview, LogStats, MessageParams } from './log';
import { SessionInfo } from './sessions';
import { Settings } from './settings';

// Engine → renderer events. They travel in batches: one message per flush.

export const NoticeEvent = z.object({
  type: z.literal('notice'),
  level: z.enum(['info', 'warning', 'error']),
  /** The engine's English words (the fallback when the renderer has none for `code`). */
  message: z.string(),
  /** What the renderer words the notice from. */
  code: z.string().optional(),
  params: MessageParams.optional(),
  /** Unix time in microseconds. */
  atUs: z.number(),
  /** Records this page did not receive (it fell behind); the engine still holds them. */
  skippedRecords: z.number().optional(),
});

/** Every record logged since the last flush, with capped previews of their bytes. */
export const LogRecordsEvent = z.object({
  type: z.literal('log.records'),
  records: z.array(LogRecordPreview),
});

/** The log's totals; sent when records were evicted or the log was cleared. */
export const LogStatsEvent = z.object({ type: z.literal('log.stats'), stats: LogStats });

export const LogClearedEvent = z.object({ type: z.literal('log.cleared') });

/** A session's latest facts and counters (one per session per flush at most). */
export const SessionUpdateEvent = z.object({
  type: z.literal('session.update'),
  session: SessionInfo,
});

export const SessionRemovedEvent = z.object({
  type: z.literal('session.removed'),
  sessionId: z.string(),
});

/** The saved settings changed (any page may have changed them). */
export const SettingsChangedEvent = z.object({
  type: z.literal('settings.changed'),
  values: Settings,
});

export const EngineEvent = z.discriminatedUnion('type', [
  NoticeEvent,
  LogRecordsEvent,
  LogStatsEvent,
  LogClearedEvent,
  SessionUpdateEvent,
  SessionRemovedEvent,
  SettingsChangedEvent,
]);
export type EngineEvent = z.infer<typeof EngineEvent>;

export const EventBatch = z.object({
  /** Increases by one each flush, so a gap shows a lost batch. */
  seq: z.number(),
  events: z.array(EngineEvent),
});
export type EventBatch = z.infer<typeof EventBatch>;
