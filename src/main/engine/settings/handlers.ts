import type { settingsCommands } from '@shared/contract/settings';
import type { Settings } from '@shared/contract/settings';
import type { HandlersFor } from '../handlers';
import type { EventBus } from '../log/event-bus';
import type { SettingsStore } from './settings-store';

/** Every page hears of a change, whichever page (or command) made it. */
export function announceSettings(bus: EventBus, values: Settings): Settings {
  bus.emitLatest('settings', { type: 'settings.changed', values });
  return values;
}

export function settingsHandlers(
  store: SettingsStore,
  bus: EventBus,
): HandlersFor<keyof typeof settingsCommands> {
  const changed = (values: Settings): Settings => announceSettings(bus, values);
  return {
    'settings.get': async () => ({ values: store.current(), problem: store.takeProblem() }),
    'settings.set': async ({ values }) => changed(await store.set(values)),
    'settings.remember': async (args) =>
      changed(
        args.list === 'sendHistory'
          ? await store.remember('sendHistory', args.entry)
          : await store.remember('recentLookups', args.entry),
      ),
    'settings.clear': async ({ list }) => changed(await store.clear(list)),
  };
}
