import { settings } from './settings.svelte';

export type ThemeChoice = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

const choices: readonly ThemeChoice[] = ['system', 'light', 'dark'];
const isChoice = (value: unknown): value is ThemeChoice => choices.includes(value as ThemeChoice);

/** Light or dark: the system's, unless the user picked one (kept with the settings). */
class ThemeState {
  private systemDark = $state(false);

  constructor() {
    const query = globalThis.matchMedia?.('(prefers-color-scheme: dark)');
    if (query === undefined) return;
    this.systemDark = query.matches;
    query.addEventListener('change', (event) => (this.systemDark = event.matches));
  }

  get choice(): ThemeChoice {
    const saved = settings.values.ui?.theme;
    return isChoice(saved) ? saved : 'system';
  }

  get current(): Theme {
    if (this.choice === 'system') return this.systemDark ? 'dark' : 'light';
    return this.choice;
  }

  choose(choice: ThemeChoice): void {
    settings.set({ ui: { theme: choice } });
  }
}

export const theme = new ThemeState();
