import { HeartbeatSettings } from '@shared/contract';
import type { FieldProblem } from './validate';
import { numberField } from './validate';

/** A heartbeat's settings as typed in a form; numbers stay text so the schema can name a bad one. */
export interface HeartbeatFieldValues {
  intervalMs: string;
  format: 'text' | 'hex' | 'packet-sender';
  payload: string;
  expectKind: 'exact' | 'prefix' | 'contains' | 'regex' | 'hex';
  /** Empty: any inbound data is a sign of life. */
  expect: string;
  /** Empty: the interval. */
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

export function defaultHeartbeatFields(): HeartbeatFieldValues {
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

export type HeartbeatSettingsResult =
  { ok: true; settings: HeartbeatSettings } | { ok: false; problem: FieldProblem };

/**
 * Turns the typed fields into the settings the engine takes, checked by the
 * schema the engine's boundary uses; a problem names the settings' path
 * (`intervalMs`, `payload.text`, `backoff.factor`...), prefixed by `prefix`.
 * `withDestination` (UDP sockets) adds the destination when one is typed.
 */
export function heartbeatSettingsOf(
  fields: HeartbeatFieldValues,
  prefix = '',
  withDestination = false,
): HeartbeatSettingsResult {
  const typed = {
    intervalMs: numberField(fields.intervalMs),
    payload: { format: fields.format, text: fields.payload },
    when: fields.when,
    quietOn: fields.quietOn,
    expect: fields.expect === '' ? null : { kind: fields.expectKind, value: fields.expect },
    ...(fields.replyTimeoutMs.trim() === ''
      ? {}
      : { replyTimeoutMs: numberField(fields.replyTimeoutMs) }),
    missedBeforeDead: numberField(fields.missed),
    onDead: fields.onDead,
    backoff: {
      firstDelayMs: numberField(fields.firstDelayMs),
      factor: numberField(fields.factor),
      maxDelayMs: numberField(fields.maxDelayMs),
      maxAttempts: numberField(fields.maxAttempts),
    },
    ...(withDestination && (fields.toHost.trim() !== '' || fields.toPort.trim() !== '')
      ? { to: { host: fields.toHost.trim(), port: numberField(fields.toPort) } }
      : {}),
  };
  const parsed = HeartbeatSettings.safeParse(typed);
  if (parsed.success) return { ok: true, settings: parsed.data };
  const issue = parsed.error.issues[0];
  return {
    ok: false,
    problem: {
      field: prefix + (issue?.path.map(String).join('.') ?? ''),
      message: issue?.message ?? 'is not valid',
    },
  };
}

/**
 * The heartbeat part of a create call's arguments (a connect, listen or bind): none
 * when the switch is off, else the settings, or the problem (path under `heartbeat.`).
 */
export function heartbeatArgOf(
  on: boolean,
  fields: HeartbeatFieldValues,
  withDestination = false,
): { ok: true; arg: { heartbeat?: HeartbeatSettings } } | { ok: false; problem: FieldProblem } {
  if (!on) return { ok: true, arg: {} };
  const typed = heartbeatSettingsOf(fields, 'heartbeat.', withDestination);
  return typed.ok ? { ok: true, arg: { heartbeat: typed.settings } } : typed;
}

/** The fields' labels keyed by the path a problem names, for the form's alert. */
export function heartbeatFieldLabels(
  t: (
    key:
      | 'hbInterval'
      | 'hbPayload'
      | 'hbExpect'
      | 'hbReplyTimeout'
      | 'hbMissed'
      | 'hbFirstDelay'
      | 'hbFactor'
      | 'hbMaxDelay'
      | 'hbMaxAttempts'
      | 'hbToHost'
      | 'hbToPort'
      | 'hbOnDead',
  ) => string,
  prefix = '',
): Record<string, string> {
  return {
    [`${prefix}intervalMs`]: t('hbInterval'),
    [`${prefix}payload.text`]: t('hbPayload'),
    [`${prefix}expect.value`]: t('hbExpect'),
    [`${prefix}replyTimeoutMs`]: t('hbReplyTimeout'),
    [`${prefix}missedBeforeDead`]: t('hbMissed'),
    [`${prefix}backoff.firstDelayMs`]: t('hbFirstDelay'),
    [`${prefix}backoff.factor`]: t('hbFactor'),
    [`${prefix}backoff.maxDelayMs`]: t('hbMaxDelay'),
    [`${prefix}backoff.maxAttempts`]: t('hbMaxAttempts'),
    [`${prefix}to`]: t('hbToHost'),
    [`${prefix}to.host`]: t('hbToHost'),
    [`${prefix}to.port`]: t('hbToPort'),
    [`${prefix}onDead`]: t('hbOnDead'),
  };
}
