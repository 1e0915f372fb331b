import type { CommandInput, Settings, SettingsList, SettingsProblem } from '@shared/contract';
import { api } from '../api';
import { onEngineEvent } from './events';

/**
 * The settings the engine keeps in its data directory (language, histories, log
 * and layout preferences). Loaded once at start; a change goes to the engine,
 * which saves it and tells every page.
 */
class SettingsState {
  values = $state<Settings>({});
  /** A saved file the engine could not read and moved aside; shown once. */
  problem = $state<SettingsProblem | null>(null);
  /** Resolves once the saved values are in (or could not be had). */
  readonly ready: Promise<void>;

  constructor() {
    onEngineEvent((event) => {
      if (event.type === 'settings.changed') this.values = event.values;
    });
    this.ready = api
      .call('settings.get', {})
      .then(({ values, problem }) => {
        this.values = values;
        this.problem = problem;
      })
      .catch(() => {});
  }

  /** Saves some keys; the rest stay as they are. A failed save keeps the value for this run. */
  set(values: Omit<Settings, SettingsList>): void {
    this.values = {
      ...this.values,
      ...values,
      ...(values.log ? { log: { ...this.values.log, ...values.log } } : {}),
      ...(values.ui ? { ui: { ...this.values.ui, ...values.ui } } : {}),
    };
    void api.call('settings.set', { values }).catch(() => {});
  }

  /** Puts an entry at the head of a list at once; the engine's answer (deduplicated) follows. */
  remember(args: CommandInput<'settings.remember'>): void {
    const list = this.values[args.list] ?? [];
    this.values = { ...this.values, [args.list]: [args.entry, ...list] };
    void api.call('settings.remember', args).then(
      (values) => (this.values = values),
      () => {},
    );
  }

  clear(list: SettingsList): void {
    this.values = { ...this.values, [list]: [] };
    void api.call('settings.clear', { list }).catch(() => {});
  }

  dismissProblem(): void {
    this.problem = null;
  }
}

export const settings = new SettingsState();
