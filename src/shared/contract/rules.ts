import { z } from 'zod';
import { wholeNumber } from './fields';
import { Matcher } from './heartbeat';
import { Payload } from './payload';

/**
 * One reply rule: when inbound data matches, send the reply (regex captures
 * `$1`, `$<name>` and macros filled in), after an optional delay.
 */
export const ReplyRule = z.object({
  name: z
    .string()
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(80, { error: 'is longer than 80 characters' }),
  enabled: z.boolean().default(true),
  match: Matcher,
  reply: Payload,
  delayMs: wholeNumber(0, 60_000, 'ms').default(0),
  /** More replies than this in one second stop the rule: it is answering itself in a loop. */
  maxPerSecond: wholeNumber(1, 100_000).default(50),
});
export type ReplyRule = z.output<typeof ReplyRule>;

export const RulesArgs = z
  .object({
    sessionId: z.string().min(1, { error: 'must not be empty' }).max(64),
    /** In order; an empty list removes the rules. */
    rules: z.array(z.unknown()).max(100, { error: 'holds more than 100 rules' }),
    /** The first matching rule only, or every rule that matches. */
    mode: z.enum(['first', 'all'], { error: 'must be first or all' }).default('first'),
  })
  .transform((value, context) => {
    // Each rule is checked on its own so a problem names the rule, not just its index.
    const rules: ReplyRule[] = [];
    value.rules.forEach((raw, index) => {
      const parsed = ReplyRule.safeParse(raw);
      if (parsed.success) {
        rules.push(parsed.data);
        return;
      }
      const name =
        typeof raw === 'object' &&
        raw !== null &&
        typeof (raw as { name?: unknown }).name === 'string'
          ? ` "${(raw as { name: string }).name}"`
          : '';
      for (const issue of parsed.error.issues)
        context.addIssue({
          code: 'custom',
          path: [
            'rules',
            index,
            ...issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part)),
          ],
          message: `rule ${index + 1}${name}: ${issue.message}`,
        });
    });
    return { ...value, rules };
  });
export type RulesArgs = z.output<typeof RulesArgs>;

export const RuleState = z.object({
  name: z.string(),
  enabled: z.boolean(),
  hits: z.number(),
  /** Set when the rate limit stopped the rule (enable it again to resume). */
  stoppedByLimit: z.boolean(),
  maxPerSecond: z.number(),
});

export const RulesState = z.object({
  mode: z.enum(['first', 'all']),
  rules: z.array(RuleState),
});
export type RulesState = z.infer<typeof RulesState>;
