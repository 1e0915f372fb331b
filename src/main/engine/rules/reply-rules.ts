import { performance } from 'node:perf_hooks';
import type { MessageParams } from '@shared/contract/log';
import type { ReplyRule, RulesState } from '@shared/contract/rules';
import type { PayloadTemplate } from '@shared/codecs/template';
import { compile } from '../sockets/payload-macros';
import type { InboundMatcher, MatchResult } from './match';
import { compileMatcher } from './match';

/**
 * What the rules need of their session. `Target` is who sent the match where a
 * session has many (a server's client): the reply goes back to it.
 */
export interface RulesHost<Target = undefined> {
  /** Sends a rule's reply, filed in the log as sent and tagged with the rule. */
  sendReply(template: PayloadTemplate, ruleName: string, target: Target): Promise<unknown>;
  /** Says something in the session's log: the engine's English, and params the UI words it from. */
  note(message: string, params: MessageParams): void;
  changed(): void;
}

interface LiveRule {
  rule: ReplyRule;
  matcher: InboundMatcher;
  /** The reply read once; null when it holds captures and is read per hit. */
  template: PayloadTemplate | null;
  enabled: boolean;
  hits: number;
  stoppedByLimit: boolean;
  windowStartMs: number;
  windowCount: number;
}

const captureReference = /\$(\d{1,2})|\$<([A-Za-z_][A-Za-z0-9_]*)>/g;
const hasCaptureReference = /\$(\d{1,2}|<[A-Za-z_][A-Za-z0-9_]*>)/;

/**
 * The reply text with `$1` and `$<name>` replaced by what the regex captured
 * (empty when absent). In the text notations a capture is data, not notation:
 * its backslashes and braces are escaped so they send as they came.
 */
export function fillCaptures(text: string, match: MatchResult, format = 'text'): string {
  const literal = (value: string | undefined): string =>
    value === undefined
      ? ''
      : format === 'text' || format === 'packet-sender'
        ? value.replace(/\\/g, '\\\\').replace(/\{/g, '\\{')
        : value;
  return text.replace(
    captureReference,
    (_whole, index: string | undefined, name: string | undefined) =>
      literal(index !== undefined ? match.captures[Number(index)] : match.named[name!]),
  );
}

/**
 * An ordered list of reply rules for one session: each inbound packet is
 * matched in order, the first match (or every match) replies. A rule that
 * fires more than its limit in one second is stopped: it is most likely
 * answering its own replies.
 */
export class ReplyRules<Target = undefined> {
  private readonly rules: LiveRule[];
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    readonly mode: 'first' | 'all',
    rules: readonly ReplyRule[],
    private readonly host: RulesHost<Target>,
    /** The rules these replace: a rule of the same name keeps its hit count. */
    previous: RulesState | null = null,
  ) {
    const hitsBefore = new Map(previous?.rules.map((rule) => [rule.name, rule.hits]));
    this.rules = rules.map((rule) => ({
      rule,
      matcher: compileMatcher(rule.match),
      template: hasCaptureReference.test(rule.reply.text) ? null : compile(rule.reply),
      enabled: rule.enabled,
      hits: hitsBefore.get(rule.name) ?? 0,
      stoppedByLimit: false,
      windowStartMs: 0,
      windowCount: 0,
    }));
    // Every reply is read once here, so one with a bad macro is refused before it can fire.
    for (const live of this.rules) if (live.template === null) compile(live.rule.reply);
  }

  /**
   * The rules that replace `current` (cancelling its waiting replies; a rule of the
   * same name keeps its hits), or null for an empty list.
   */
  static replace<T>(
    current: ReplyRules<T> | null,
    mode: 'first' | 'all',
    rules: readonly ReplyRule[],
    host: RulesHost<T>,
  ): ReplyRules<T> | null {
    const previous = current?.state() ?? null;
    current?.cancel();
    return rules.length === 0 ? null : new ReplyRules<T>(mode, rules, host, previous);
  }

  /** Inbound bytes from `target` (the sender, where the session has many). */
  inbound(bytes: Uint8Array, ...[target]: Target extends undefined ? [] : [Target]): void {
    for (const live of this.rules) {
      if (!live.enabled) continue;
      const match = live.matcher(bytes);
      if (match === null) continue;
      this.fire(live, match, target as Target);
      if (this.mode === 'first') break;
    }
  }

  /** Stops replies still waiting for their delay (the connection is going away). */
  cancel(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  state(): RulesState {
    return {
      mode: this.mode,
      rules: this.rules.map((live) => ({
        name: live.rule.name,
        enabled: live.enabled,
        hits: live.hits,
        stoppedByLimit: live.stoppedByLimit,
        maxPerSecond: live.rule.maxPerSecond,
      })),
    };
  }

  private fire(live: LiveRule, match: MatchResult, target: Target): void {
    const now = performance.now();
    if (now - live.windowStartMs >= 1000) {
      live.windowStartMs = now;
      live.windowCount = 0;
    }
    live.windowCount += 1;
    if (live.windowCount > live.rule.maxPerSecond) {
      live.enabled = false;
      live.stoppedByLimit = true;
      this.cancel();
      this.host.note(
        `Rule "${live.rule.name}" stopped: more than ${live.rule.maxPerSecond} replies in a second (is it answering its own replies?)`,
        { what: 'rule-stopped', rule: live.rule.name, limit: live.rule.maxPerSecond },
      );
      this.host.changed();
      return;
    }
    live.hits += 1;
    const template =
      live.template ??
      compile({
        ...live.rule.reply,
        text: fillCaptures(live.rule.reply.text, match, live.rule.reply.format),
      });
    const send = () => {
      this.host.sendReply(template, live.rule.name, target).catch(() => {
        // The session logs why a send failed.
      });
    };
    if (live.rule.delayMs === 0) send();
    else {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        send();
      }, live.rule.delayMs);
      this.timers.add(timer);
    }
    this.host.changed();
  }
}
