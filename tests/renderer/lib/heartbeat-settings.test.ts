import { describe, expect, it } from 'vitest';
import {
  defaultHeartbeatFields,
  heartbeatArgOf,
  heartbeatFieldLabels,
  heartbeatSettingsOf,
} from '../../../src/renderer/src/lib/heartbeat-settings';
import { en, zhCN } from '../../../src/renderer/src/lib/messages';

describe('heartbeatSettingsOf', () => {
  it('turns the default fields into settings the engine takes, defaults filled', () => {
    const result = heartbeatSettingsOf(defaultHeartbeatFields());
    expect(result).toEqual({
      ok: true,
      settings: expect.objectContaining({
        intervalMs: 1000,
        payload: { format: 'text', text: 'ping', charset: 'utf-8', lineEnding: 'none' },
        expect: null,
        missedBeforeDead: 3,
        onDead: 'mark',
        backoff: { firstDelayMs: 1000, factor: 2, maxDelayMs: 30_000, maxAttempts: 0 },
      }),
    });
    if (result.ok) expect(result.settings).not.toHaveProperty('replyTimeoutMs');
  });

  it('carries an expected reply, a reply timeout and the backoff as typed', () => {
    const result = heartbeatSettingsOf({
      ...defaultHeartbeatFields(),
      intervalMs: ' 200 ',
      expectKind: 'hex',
      expect: 'AA ?? 01',
      replyTimeoutMs: '150',
      onDead: 'reconnect',
      factor: '1.5',
    });
    expect(result.ok && result.settings).toMatchObject({
      intervalMs: 200,
      expect: { kind: 'hex', value: 'AA ?? 01' },
      replyTimeoutMs: 150,
      onDead: 'reconnect',
      backoff: { factor: 1.5 },
    });
  });

  it.each([
    ['intervalMs', { intervalMs: '5' }, 'must be at least 10 ms'],
    ['intervalMs', { intervalMs: '' }, 'must be a number'],
    ['intervalMs', { intervalMs: 'abc' }, 'must be a number'],
    ['payload.text', { format: 'hex' as const, payload: 'A' }, ''],
    ['expect.value', { expectKind: 'regex' as const, expect: '(' }, 'regular expression'],
    ['replyTimeoutMs', { replyTimeoutMs: '1.5' }, 'whole number'],
    ['missedBeforeDead', { missed: '0' }, 'must be at least 1'],
    ['backoff.factor', { factor: '11' }, 'must be at most 10'],
    ['backoff.maxAttempts', { maxAttempts: '-1' }, 'must be at least 0'],
  ])('names %s when it is wrong', (field, change, words) => {
    const result = heartbeatSettingsOf({ ...defaultHeartbeatFields(), ...change }, 'heartbeat.');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem.field).toBe(`heartbeat.${field}`);
    expect(result.problem.message).toContain(words);
  });

  it('adds a UDP destination only where one is asked for and typed, naming a bad port', () => {
    const typed = { ...defaultHeartbeatFields(), toHost: ' 127.0.0.1 ', toPort: '9' };
    const udp = heartbeatSettingsOf(typed, 'heartbeat.', true);
    expect(udp.ok && udp.settings.to).toEqual({ host: '127.0.0.1', port: 9 });
    const tcp = heartbeatSettingsOf(typed, 'heartbeat.');
    expect(tcp.ok && tcp.settings).not.toHaveProperty('to');
    const none = heartbeatSettingsOf(defaultHeartbeatFields(), 'heartbeat.', true);
    expect(none.ok && none.settings).not.toHaveProperty('to');
    const bad = heartbeatSettingsOf({ ...typed, toPort: '70000' }, 'heartbeat.', true);
    expect(!bad.ok && bad.problem.field).toBe('heartbeat.to.port');
  });

  it('has a label for every path a problem can name, in both languages', () => {
    for (const words of [en, zhCN]) {
      const labels = heartbeatFieldLabels((key) => words[key], 'heartbeat.');
      for (const field of [
        'intervalMs',
        'payload.text',
        'expect.value',
        'replyTimeoutMs',
        'missedBeforeDead',
        'backoff.firstDelayMs',
        'backoff.factor',
        'backoff.maxDelayMs',
        'backoff.maxAttempts',
        'to',
        'to.host',
        'to.port',
        'onDead',
      ])
        expect(labels[`heartbeat.${field}`]).toMatch(/\S/);
    }
  });
});

describe("a create call's heartbeat argument", () => {
  it('is none when off, the settings when on, and the problem under heartbeat. when bad', () => {
    expect(heartbeatArgOf(false, { ...defaultHeartbeatFields(), intervalMs: 'x' })).toEqual({
      ok: true,
      arg: {},
    });
    const on = heartbeatArgOf(true, defaultHeartbeatFields());
    expect(on.ok && on.arg.heartbeat?.intervalMs).toBe(1000);
    const bad = heartbeatArgOf(true, { ...defaultHeartbeatFields(), intervalMs: 'x' });
    expect(!bad.ok && bad.problem.field).toBe('heartbeat.intervalMs');
  });
});
