import { z } from 'zod';

// Engine → renderer events. They travel in batches: one message per flush.

export const NoticeEvent = z.object({
  type: z.literal('notice'),
  level: z.enum(['info', 'warning', 'error']),
  message: z.string(),
  /** Unix time in microseconds. */
  atUs: z.number(),
});

export const EngineEvent = z.discriminatedUnion('type', [NoticeEvent]);
export type EngineEvent = z.infer<typeof EngineEvent>;

export const EventBatch = z.object({
  /** Increases by one each flush, so a gap shows a lost batch. */
  seq: z.number(),
  events: z.array(EngineEvent),
});
export type EventBatch = z.infer<typeof EventBatch>;
