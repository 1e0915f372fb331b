import { settings } from './settings.svelte';
import type { SettingsState } from './settings.svelte';

export type ThemeChoice = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

const choices: readonly ThemeChoice[] = ['system', 'light', 'dark'];
const isChoice = (value: unknown): value is ThemeChoice => choices.includes(value as ThemeChoice);

/** Light or dark: the system's, unless the user picked one (kept with the settings). */
/** The part of a MediaQueryList the theme follows (the system's dark preference). */
export interface DarkPreference {
  matches: boolean;
  addEventListener(type: 'change', listener: (event: { matches: boolean }) => void): void;
}

export class ThemeState {
  private systemDark = $state(false);

  constructor(
    private readonly settings: SettingsState,
    system: DarkPreference | undefined = globalThis.matchMedia?.('(prefers-color-scheme: dark)'),
  ) {
    if (system === undefined) return;
    this.systemDark = system.matches;
    system.addEventListener('change', (event) => (this.systemDark = event.matches));
  }

  get choice(): ThemeChoice {
    const saved = this.settings.values.ui?.theme;
    return isChoice(saved) ? saved : 'system';
  }

  get current(): Theme {
    if (this.choice === 'system') return this.systemDark ? 'dark' : 'light';
    return this.choice;
  }

  choose(choice: ThemeChoice): void {
    this.settings.set({ ui: { theme: choice } });
  }
}

export const theme = new ThemeState(settings);
