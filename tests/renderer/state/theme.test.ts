import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../src/main/engine';
import { createEngineEvents } from '../../../src/renderer/src/state/events';
import { SettingsState } from '../../../src/renderer/src/state/settings.svelte';
import { ThemeState } from '../../../src/renderer/src/state/theme.svelte';
import type { DarkPreference } from '../../../src/renderer/src/state/theme.svelte';
import { eventually } from '../../support/engine-calls';
import { inProcessApi } from '../../support/in-process-api';

/** The system's dark preference as a MediaQueryList reports it, switchable by the test. */
function systemPreference(dark: boolean): DarkPreference & { set(dark: boolean): void } {
  const listeners: ((event: { matches: boolean }) => void)[] = [];
  return {
    matches: dark,
    addEventListener: (_type, listener) => listeners.push(listener),
    set(next) {
      this.matches = next;
      for (const listener of listeners) listener({ matches: next });
    },
  };
}

describe('theme state against a real engine in-process', () => {
  let engine: Engine;
  let settings: SettingsState;

  beforeAll(async () => {
    engine = await Engine.start({ transport: 'web', version: 'test' });
    const api = inProcessApi(engine);
    const events = createEngineEvents(api);
    settings = new SettingsState(api, events);
    events.start();
    await settings.load();
  });
  afterAll(async () => engine.close());

  it("follows the system's preference until a theme is chosen, and as it changes", () => {
    const system = systemPreference(true);
    const theme = new ThemeState(settings, system);
    expect(theme.choice).toBe('system');
    expect(theme.current).toBe('dark');
    system.set(false);
    expect(theme.current).toBe('light');
  });

  it('keeps a chosen theme in the engine, whatever the system says, until system is chosen again', async () => {
    const system = systemPreference(false);
    const theme = new ThemeState(settings, system);
    theme.choose('dark');
    expect(theme.current).toBe('dark');
    await eventually(async () =>
      expect((await engine.run('settings.get', {})).values.ui?.theme).toBe('dark'),
    );
    // Another page of the same engine hears it.
    const other = new ThemeState(settings, systemPreference(false));
    expect(other.current).toBe('dark');
    theme.choose('system');
    expect(theme.current).toBe('light');
  });

  it('reads a saved value it does not know as the system theme', async () => {
    await engine.run('settings.set', { values: { ui: { theme: 'sepia' } } });
    await eventually(() => expect(settings.values.ui?.theme).toBe('sepia'));
    const theme = new ThemeState(settings, systemPreference(true));
    expect(theme.choice).toBe('system');
    expect(theme.current).toBe('dark');
  });

  it('is light without a media query to ask (no window)', () => {
    expect(new ThemeState(settings, undefined).current).toBe('light');
  });
});
