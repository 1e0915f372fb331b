import { RegExpSyntaxError, RegExpValidator } from '@eslint-community/regexpp';
import { z } from 'zod';
import { parseHexPattern } from '../codecs/hex-pattern';
import { HostName, RemotePort, wholeNumber } from './fields';
import { Charset, Payload } from './payload';

/** How inbound bytes are matched: text (in a charset), a regex over the decoded text, or hex with `??`. */
export const MatchKind = z.enum(['exact', 'prefix', 'contains', 'suffix', 'regex', 'hex'], {
  error: 'must be exact, prefix, contains, suffix, regex or hex',
});
export type MatchKind = z.infer<typeof MatchKind>;

const regexValidator = new RegExpValidator({ ecmaVersion: 2025 });

/**
 * Why a pattern the runtime refused is wrong, and where: JavaScript's own error names
 * no position, so a regex parser that does is asked (counting from 1, as the hex
 * patterns do); the runtime's words stand where the two disagree.
 */
function regexProblem(pattern: string, runtimeError: unknown): string {
  try {
    regexValidator.validatePattern(pattern, undefined, undefined, { unicode: true });
  } catch (error) {
    if (error instanceof RegExpSyntaxError) {
      const reason = error.message.slice(error.message.lastIndexOf(': ') + 2);
      const where = error.index >= pattern.length ? 'at its end' : `at position ${error.index + 1}`;
      return `is not a valid regular expression ${where}: ${reason}`;
    }
  }
  const words = runtimeError instanceof Error ? runtimeError.message : String(runtimeError);
  return `is not a valid regular expression: ${words}`;
}

/** What a regex or hex pattern is refused for, or null; shared by heartbeats and reply rules. */
export function patternProblem(kind: MatchKind, value: string): string | null {
  if (kind === 'hex') {
    const parsed = parseHexPattern(value);
    return typeof parsed === 'string' ? parsed : null;
  }
  if (kind === 'regex') {
    try {
      new RegExp(value, 'u');
    } catch (error) {
      return regexProblem(value, error);
    }
  }
  if (value.length === 0) return 'must not be empty';
  return null;
}

export const Matcher = z
  .object({
    kind: MatchKind,
    value: z.string().max(4096, { error: 'is longer than 4096 characters' }),
    /** The charset text kinds and regexes read inbound bytes in. */
    charset: Charset.default('utf-8'),
  })
  .superRefine((matcher, context) => {
    const problem = patternProblem(matcher.kind, matcher.value);
    if (problem !== null) context.addIssue({ code: 'custom', path: ['value'], message: problem });
  });
export type Matcher = z.output<typeof Matcher>;

export const HeartbeatSettings = z.object({
  intervalMs: wholeNumber(10, 3_600_000, 'ms'),
  payload: Payload,
  /** Every interval, or only once the link has been quiet for an interval. */
  when: z.enum(['always', 'quiet'], { error: 'must be always or quiet' }).default('always'),
  /** Quiet meaning nothing sent, nothing received, or neither. */
  quietOn: z
    .enum(['sent', 'received', 'both'], { error: 'must be sent, received or both' })
    .default('both'),
  /** The reply that counts; null: any inbound data is a sign of life. */
  expect: Matcher.nullable().default(null),
  /** How long a reply may take before the beat counts as missed (default: the interval). */
  replyTimeoutMs: wholeNumber(1, 3_600_000, 'ms').optional(),
  missedBeforeDead: wholeNumber(1, 1000).default(3),
  onDead: z
    .enum(['mark', 'close', 'reconnect'], { error: 'must be mark, close or reconnect' })
    .default('mark'),
  backoff: z
    .object({
      firstDelayMs: wholeNumber(10, 3_600_000, 'ms').default(1000),
      factor: z
        .number({ error: 'must be a number' })
        .min(1, { error: 'must be at least 1' })
        .max(10, { error: 'must be at most 10' })
        .default(2),
      maxDelayMs: wholeNumber(10, 3_600_000, 'ms').default(30_000),
      /** 0: never give up. */
      maxAttempts: wholeNumber(0, 100_000).default(0),
    })
    .default({ firstDelayMs: 1000, factor: 2, maxDelayMs: 30_000, maxAttempts: 0 }),
  /**
   * Where the beats go (UDP sockets only; other kinds beat to their own peer). A UDP
   * socket without it beats to its connected default peer.
   */
  to: z.object({ host: HostName, port: RemotePort }).optional(),
});
export type HeartbeatSettings = z.output<typeof HeartbeatSettings>;

export const RttStats = z.object({
  lastMs: z.number(),
  minMs: z.number(),
  avgMs: z.number(),
  maxMs: z.number(),
  /** ping's mdev: the standard deviation of the round-trip times. */
  mdevMs: z.number(),
});

export const HeartbeatState = z.object({
  intervalMs: z.number(),
  when: z.enum(['always', 'quiet']),
  expecting: z.boolean(),
  missedBeforeDead: z.number(),
  onDead: z.enum(['mark', 'close', 'reconnect']),
  sent: z.number(),
  replies: z.number(),
  /** Replies that came after their timeout (counted missed then, answered now). */
  late: z.number(),
  /** Beats never answered so far. */
  lost: z.number(),
  missedInRow: z.number(),
  lossPct: z.number(),
  rtt: RttStats.nullable(),
  /** The latest round-trip times, oldest first, for the chart. */
  history: z.array(z.number()),
  dead: z.boolean(),
  /** The next reconnect attempt, while one is waiting. */
  reconnect: z.object({ attempt: z.number(), delayMs: z.number() }).nullable(),
  gaveUp: z.boolean(),
});
export type HeartbeatState = z.infer<typeof HeartbeatState>;

export const HeartbeatArgs = z.object({
  sessionId: z.string().min(1, { error: 'must not be empty' }).max(64),
  /** null turns the heartbeat off. */
  heartbeat: HeartbeatSettings.nullable(),
});
