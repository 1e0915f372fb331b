import { randomBytes, randomUUID } from 'node:crypto';
import type { Payload } from '@shared/contract/payload';
import type { PayloadTemplate } from '@shared/codecs/template';
import { compilePayload } from '@shared/codecs/template';
import { encodeText } from '../charset';

/** A payload read once (refused with a coded error naming the field), filled in per send. */
export function compile(payload: Payload): PayloadTemplate {
  return compilePayload(payload, encodeText);
}

/**
 * The state macros read across sends: `{counter}` per session and global. A
 * send advances the counters its payload uses, after it is expanded.
 */
export class PayloadMacros {
  private readonly sessionCounters = new Map<string, number>();
  private globalCounter = 0;

  /** One send's bytes; `seq` is its number in its run (1 for a single send). */
  expand(sessionId: string, template: PayloadTemplate, seq = 1): Uint8Array {
    const bytes = this.bytes(sessionId, template, seq);
    if (template.counterScopes.has('session'))
      this.sessionCounters.set(sessionId, (this.sessionCounters.get(sessionId) ?? 0) + 1);
    if (template.counterScopes.has('global')) this.globalCounter += 1;
    return bytes;
  }

  /** What the next send would be, without advancing any counter: the composer's preview. */
  preview(sessionId: string | undefined, template: PayloadTemplate): Uint8Array {
    return this.bytes(sessionId, template, 1);
  }

  forget(sessionId: string): void {
    this.sessionCounters.delete(sessionId);
  }

  private bytes(sessionId: string | undefined, template: PayloadTemplate, seq: number) {
    if (template.constant) return template.expand(constantContext);
    return template.expand({
      now: new Date(),
      counterIndex: (scope) =>
        scope === 'global'
          ? this.globalCounter
          : sessionId === undefined
            ? 0
            : (this.sessionCounters.get(sessionId) ?? 0),
      seq,
      randomBytes: (count) => new Uint8Array(randomBytes(count)),
      uuid: () => randomUUID(),
    });
  }
}

/** A payload without macros reads nothing from its context. */
const constantContext = {
  now: new Date(0),
  counterIndex: () => 0,
  seq: 1,
  randomBytes: (count: number) => new Uint8Array(count),
  uuid: () => '',
};
