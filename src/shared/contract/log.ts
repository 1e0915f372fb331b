import { z } from 'zod';
import { parseHex } from '../codecs/payload';
import { charsets } from '../charsets';
import { Charset } from './payload';

export const Direction = z.enum(['in', 'out', 'event']);
export type Direction = z.infer<typeof Direction>;

export const SocketAddress = z.object({
  address: z.string(),
  port: z.number(),
  family: z.enum(['IPv4', 'IPv6']),
});
export type SocketAddress = z.infer<typeof SocketAddress>;

export const SessionEventKind = z.enum([
  'connecting',
  'connected',
  'half-closed',
  'closed',
  'error',
  'idle',
  'info',
  // A TCP server's: listening, a client accepted (the client dialed), a
  // connection refused at the maximum, and a reset we sent or received.
  'listening',
  'accepted',
  'refused',
  'reset-sent',
  'reset-received',
  /** The heartbeat found the peer dead. */
  'dead',
  /** A reconnect attempt, with its delay. */
  'reconnect',
]);
export type SessionEventKind = z.infer<typeof SessionEventKind>;

/**
 * What the renderer words an event or error from, in the user's language: names and
 * numbers only (an address, an OS code, a reason), never sentences.
 */
export const MessageParams = z.record(z.string(), z.union([z.string(), z.number()]));
export type MessageParams = z.infer<typeof MessageParams>;

/**
 * How the log reads payload text: `auto` reads each record in the charset its
 * session sent text in (UTF-8 before any), the others override that for every record.
 */
export const DisplayCharset = z.enum(['auto', ...charsets], {
  error: 'must be auto, utf-8, gbk or latin1',
});
export type DisplayCharset = z.infer<typeof DisplayCharset>;

/** The charset a record's text is read in under a display choice. */
export function readingCharset(
  record: { charset: Charset | null },
  choice: DisplayCharset,
): Charset {
  return choice === 'auto' ? (record.charset ?? 'utf-8') : choice;
}

/** What the log knows of one packet or event, without its bytes. */
export const LogRecordMeta = z.object({
  /** Increases by one per record for the engine's lifetime; never reused. */
  id: z.number(),
  /** Unix time in microseconds. */
  atUs: z.number(),
  sessionId: z.string(),
  transport: z.enum(['tcp', 'udp']),
  direction: Direction,
  local: SocketAddress.nullable(),
  remote: SocketAddress.nullable(),
  /** Payload bytes (0 for events). */
  size: z.number(),
  /** For direction "event": what happened. */
  event: SessionEventKind.nullable(),
  /** For events: the engine's English words (the fallback when the renderer has none); for a packet a reply rule sent, `rule "name"`. */
  message: z.string().nullable(),
  /** For events: what the renderer words them from (with `code` for an error's code). */
  params: MessageParams.nullable(),
  /**
   * The charset the session's text was last sent in when this record was made (so
   * the log reads a GBK conversation as GBK); null when no text was sent yet.
   */
  charset: Charset.nullable(),
});
export type LogRecordMeta = z.infer<typeof LogRecordMeta>;

/** A record as it travels in an event batch: its first bytes only, base64. */
export const LogRecordPreview = LogRecordMeta.extend({
  preview: z.string(),
  truncated: z.boolean(),
});
export type LogRecordPreview = z.infer<typeof LogRecordPreview>;

/** The bytes a batch carries per record; the rest is fetched on demand. */
export const previewBytes = 256;

export const LogStats = z.object({
  records: z.number(),
  bytes: z.number(),
  budgetBytes: z.number(),
  evictedRecords: z.number(),
  evictedBytes: z.number(),
  /** Id of the oldest record still held, or null when the log is empty. */
  oldestId: z.number().nullable(),
});
export type LogStats = z.infer<typeof LogStats>;

export const ExportFormat = z.enum(['pcapng', 'csv', 'jsonl'], {
  error: 'must be pcapng, csv or jsonl',
});
export type ExportFormat = z.infer<typeof ExportFormat>;

const mebibyte = 1024 * 1024;
/** The page's window holds at most this many records, so what it shows always fits. */
export const maxExportIds = 1_000_000;

export const LogReadArgs = z.object({ id: z.number().int().min(0) });
export const LogReadResult = z.object({ record: LogRecordMeta, bytes: z.string() });

export const LogBudgetArgs = z.object({
  budgetBytes: z
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number of bytes' })
    .min(mebibyte, { error: 'must be at least 1 MiB' })
    .max(16 * 1024 * mebibyte, { error: 'must be at most 16 GiB' }),
});

export const LogExportArgs = z.object({
  format: ExportFormat,
  /** Only this session's records; all sessions when absent. */
  sessionId: z.string().optional(),
  /** Charset used to render payload text in CSV. */
  charset: DisplayCharset.default('auto'),
  /** Only these records (what the page shows, filtered); every held record when absent. */
  ids: z
    .array(z.number().int().min(0), { error: 'must be a list of record ids' })
    .max(maxExportIds, { error: `must hold at most ${maxExportIds} ids` })
    .optional(),
});
export const LogExportResult = z.object({
  exportId: z.string(),
  fileName: z.string(),
  mimeType: z.string(),
  /** Unknown until read to the end: the export is built as it is read. */
  size: z.number().nullable(),
  /** Records in the log when the export began (those evicted meanwhile are left out). */
  records: z.number(),
});
export type LogExportResult = z.infer<typeof LogExportResult>;

export const LogExportReadArgs = z.object({
  exportId: z.string().min(1),
  offset: z.number().int().min(0),
  length: z
    .number()
    .int()
    .min(1)
    .max(4 * mebibyte),
});
export const LogExportReadResult = z.object({ data: z.string(), done: z.boolean() });

/**
 * Which of these records hold the query anywhere in their full bytes. The renderer
 * filters on previews first and asks this for records whose preview was cut short.
 */
export const LogSearchArgs = z
  .object({
    ids: z
      .array(
        z
          .number({ error: 'must be a number' })
          .int({ error: 'must be a whole number' })
          .min(0, { error: 'must be 0 or more' }),
        { error: 'must be a list of record ids' },
      )
      .max(20_000, { error: 'at most 20000 ids per search' })
      .refine((ids) => new Set(ids).size === ids.length, {
        error: 'must not name the same record twice',
      }),
    query: z
      .string()
      .min(1, { error: 'must not be empty' })
      .max(1000, { error: 'is longer than 1000 characters' }),
    mode: z.enum(['text', 'hex'], { error: 'must be text or hex' }),
    charset: DisplayCharset.default('auto'),
  })
  .superRefine((value, context) => {
    if (value.mode !== 'hex') return;
    const parsed = parseHex(value.query);
    if (!(parsed instanceof Uint8Array))
      context.addIssue({ code: 'custom', path: ['query'], message: parsed.problem });
  });
export const LogSearchResult = z.object({
  matches: z.array(z.number()),
  /**
   * How many of `ids`, from the first, were searched: fewer than all once the call's
   * byte cap is reached. The caller asks again for the rest.
   */
  searched: z.number(),
});

/** The most records one log.latest call returns; a page asks again for older ones. */
export const maxLatestRecords = 10_000;

/**
 * The newest records the engine holds (older than `beforeId`, when given), oldest
 * first, as batches carry them: what a page that (re)connects fills its window with.
 */
export const LogLatestArgs = z.object({
  limit: z
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number' })
    .min(1, { error: `must be from 1 to ${maxLatestRecords}` })
    .max(maxLatestRecords, { error: `must be from 1 to ${maxLatestRecords}` }),
  beforeId: z.number().int().min(0).optional(),
});
export const LogLatestResult = z.object({
  records: z.array(LogRecordPreview),
  stats: LogStats,
});

export const logCommands = {
  'log.stats': { args: z.object({}), result: LogStats },
  'log.read': { args: LogReadArgs, result: LogReadResult },
  'log.search': { args: LogSearchArgs, result: LogSearchResult },
  'log.latest': { args: LogLatestArgs, result: LogLatestResult },
  'log.clear': { args: z.object({}), result: LogStats },
  'log.setBudget': { args: LogBudgetArgs, result: LogStats },
  'log.export': { args: LogExportArgs, result: LogExportResult },
  'log.exportRead': { args: LogExportReadArgs, result: LogExportReadResult },
} as const;
