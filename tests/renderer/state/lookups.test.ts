import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../src/main/engine';
import { createEngineEvents } from '../../../src/renderer/src/state/events';
import { LookupsState } from '../../../src/renderer/src/state/lookups.svelte';
import { SettingsState } from '../../../src/renderer/src/state/settings.svelte';
import { inProcessApi } from '../../support/in-process-api';

describe('lookups state against a real engine in-process', () => {
  let engine: Engine;
  let lookups: LookupsState;

  beforeAll(async () => {
    engine = await Engine.start({ transport: 'web', version: 'test' });
    const api = inProcessApi(engine);
    const events = createEngineEvents(api);
    const settings = new SettingsState(api, events);
    lookups = new LookupsState(api, settings);
    events.start();
    await settings.load();
  });
  afterAll(async () => {
    await engine.close();
  });

  it('resolves localhost, keeps the outcome per tab and remembers it', async () => {
    const outcome = await lookups.run({
      kind: 'host',
      args: { host: 'localhost', family: 'ipv4', call: 'getaddrinfo' },
    });
    expect(outcome.ok).toBe(true);
    if (outcome.ok && outcome.value.kind === 'host')
      expect(outcome.value.result.addresses.map((entry) => entry.address)).toContain('127.0.0.1');
    expect(lookups.outcomes.host).toEqual(outcome);
    expect(lookups.recent[0]).toMatchObject({
      ok: true,
      summary: expect.stringContaining('127.0.0.1'),
    });
    expect(lookups.busy).toBe(false);
  });

  it('refuses bad input in the state before the engine sees it, naming the field', async () => {
    const outcome = await lookups.run({ kind: 'host', args: { host: 'a b' } });
    expect(outcome).toMatchObject({
      ok: false,
      failure: {
        code: 'ERR_INVALID_ARGS',
        field: 'host',
        message: 'contains a space at position 2',
      },
    });
  });

  it('finds services by name and suggests them by prefix', async () => {
    const outcome = await lookups.run({
      kind: 'serviceByName',
      args: { name: 'http', protocol: 'tcp' },
    });
    expect(
      outcome.ok && outcome.value.kind === 'serviceByName' && outcome.value.result.entry.port,
    ).toBe(80);
    const names = (await lookups.suggestServices('htt', 'tcp')).map((entry) => entry.name);
    expect(names).toEqual(expect.arrayContaining(['http', 'https']));
    await lookups.loadServicesSource();
    expect(lookups.servicesSource?.kind).toMatch(/system|builtin/);
  });

  it('runs a recent lookup again with its form filled as it ran', async () => {
    const failed = await lookups.run({ kind: 'serviceByPort', args: { port: 1, protocol: 'udp' } });
    const entry = lookups.recent[0]!;
    lookups.forms.serviceByPort = { port: '', protocol: 'tcp' };
    const again = await lookups.rerun(entry);
    expect(lookups.tab).toBe('services');
    expect(lookups.forms.serviceByPort).toEqual({ port: '1', protocol: 'udp' });
    expect(again.ok).toBe(failed.ok);
  });
});
