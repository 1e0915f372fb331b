import type { MessageKey } from '../../lib/messages';
import { numberField } from '../../lib/validate';

/** Heartbeat settings as typed; numbers stay text until sent so the schema can name a bad one. */
export interface HeartbeatForm {
  intervalMs: string;
  format: 'text' | 'hex' | 'packet-sender';
  payload: string;
  expectKind: 'exact' | 'prefix' | 'contains' | 'regex' | 'hex';
  expect: string;
  replyTimeoutMs: string;
  missed: string;
  when: 'always' | 'quiet';
  quietOn: 'sent' | 'received' | 'both';
  onDead: 'mark' | 'close' | 'reconnect';
  firstDelayMs: string;
  factor: string;
  maxDelayMs: string;
  maxAttempts: string;
  /** A UDP socket's heartbeat destination; both empty: its connected default peer. */
  toHost: string;
  toPort: string;
}

export function newHeartbeatForm(): HeartbeatForm {
  return {
    intervalMs: '1000',
    format: 'text',
    payload: 'ping',
    expectKind: 'exact',
    expect: '',
    replyTimeoutMs: '',
    missed: '3',
    when: 'always',
    quietOn: 'both',
    onDead: 'mark',
    firstDelayMs: '1000',
    factor: '2',
    maxDelayMs: '30000',
    maxAttempts: '0',
    toHost: '',
    toPort: '',
  };
}

/** The settings the engine takes; `withDestination` (UDP) adds the typed destination. */
export function heartbeatSettings(form: HeartbeatForm, withDestination: boolean) {
  const to =
    withDestination && (form.toHost.trim() !== '' || form.toPort.trim() !== '')
      ? { to: { host: form.toHost.trim(), port: numberField(form.toPort) as number } }
      : {};
  return {
    intervalMs: numberField(form.intervalMs) as number,
    payload: { format: form.format, text: form.payload },
    when: form.when,
    quietOn: form.quietOn,
    expect: form.expect === '' ? null : { kind: form.expectKind, value: form.expect },
    ...(form.replyTimeoutMs.trim() === ''
      ? {}
      : { replyTimeoutMs: numberField(form.replyTimeoutMs) as number }),
    missedBeforeDead: numberField(form.missed) as number,
    onDead: form.onDead,
    backoff: {
      firstDelayMs: numberField(form.firstDelayMs) as number,
      factor: numberField(form.factor) as number,
      maxDelayMs: numberField(form.maxDelayMs) as number,
      maxAttempts: numberField(form.maxAttempts) as number,
    },
    ...to,
  };
}

/** Each settings field's path (as the schema names a refused one) and its label's key. */
const heartbeatFieldKeys: Record<string, MessageKey> = {
  'heartbeat.intervalMs': 'hbInterval',
  'heartbeat.payload.text': 'hbPayload',
  'heartbeat.expect.value': 'hbExpect',
  'heartbeat.replyTimeoutMs': 'hbReplyTimeout',
  'heartbeat.missedBeforeDead': 'hbMissed',
  'heartbeat.backoff.firstDelayMs': 'hbFirstDelay',
  'heartbeat.backoff.factor': 'hbFactor',
  'heartbeat.backoff.maxDelayMs': 'hbMaxDelay',
  'heartbeat.backoff.maxAttempts': 'hbMaxAttempts',
  'heartbeat.to': 'hbToHost',
  'heartbeat.to.host': 'hbToHost',
  'heartbeat.to.port': 'hbToPort',
  'heartbeat.onDead': 'hbOnDead',
};

/** Each settings field's path and its visible label, for the form's alert to name it. */
export function heartbeatFieldLabels(t: (key: MessageKey) => string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(heartbeatFieldKeys).map(([path, key]) => [path, t(key)]),
  );
}
