import type { SockscopeApi } from '@shared/api';
import type { CommandInput, Settings, SettingsList, SettingsProblem } from '@shared/contract';
import { api } from '../api';
import { engineEvents } from './events';
import type { EngineEvents } from './events';

/**
 * The settings the engine keeps in its data directory (language, histories, log
 * and layout preferences). Loaded once at start; a change goes to the engine,
 * which saves it and tells every page.
 */
export class SettingsState {
  values = $state<Settings>({});
  /** A saved file the engine could not read and moved aside; shown once. */
  problem = $state<SettingsProblem | null>(null);
  /** Resolves once the saved values are in (or could not be had): after `load`. */
  readonly ready: Promise<void>;
  private loaded: () => void = () => {};

  constructor(
    private readonly engine: SockscopeApi,
    events: EngineEvents,
  ) {
    events.on((event) => {
      if (event.type === 'settings.changed') this.values = event.values;
    });
    this.ready = new Promise((resolve) => (this.loaded = resolve));
  }

  /** Fetches the saved values once (main.ts, or a test, calls it). */
  async load(): Promise<void> {
    try {
      const { values, problem } = await this.engine.call('settings.get', {});
      this.values = values;
      this.problem = problem;
    } catch {
      // No saved values: defaults stand for this run.
    } finally {
      this.loaded();
    }
  }

  /** Saves some keys; the rest stay as they are. A failed save keeps the value for this run. */
  set(values: Omit<Settings, SettingsList>): void {
    this.values = {
      ...this.values,
      ...values,
      ...(values.log ? { log: { ...this.values.log, ...values.log } } : {}),
      ...(values.ui ? { ui: { ...this.values.ui, ...values.ui } } : {}),
    };
    void this.engine.call('settings.set', { values }).catch(() => {});
  }

  /** Puts an entry at the head of a list at once; the engine's answer (deduplicated) follows. */
  remember(args: CommandInput<'settings.remember'>): void {
    const list = this.values[args.list] ?? [];
    this.values = { ...this.values, [args.list]: [args.entry, ...list] };
    void this.engine.call('settings.remember', args).then(
      (values) => (this.values = values),
      () => {},
    );
  }

  clear(list: SettingsList): void {
    this.values = { ...this.values, [list]: [] };
    void this.engine.call('settings.clear', { list }).catch(() => {});
  }

  dismissProblem(): void {
    this.problem = null;
  }
}

export const settings = new SettingsState(api, engineEvents);
