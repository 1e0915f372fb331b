import { loadValue, saveValue } from '../lib/stored-value';

export type ThemeChoice = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

const storageKey = 'sockscope.theme';
const choices: readonly ThemeChoice[] = ['system', 'light', 'dark'];
const isChoice = (value: unknown): value is ThemeChoice => choices.includes(value as ThemeChoice);

/** Light or dark: the system's, unless the user picked one. */
class ThemeState {
  choice = $state<ThemeChoice>(loadValue(storageKey, 'system', isChoice));
  private systemDark = $state(false);

  constructor() {
    const query = globalThis.matchMedia?.('(prefers-color-scheme: dark)');
    if (query === undefined) return;
    this.systemDark = query.matches;
    query.addEventListener('change', (event) => (this.systemDark = event.matches));
  }

  get current(): Theme {
    if (this.choice === 'system') return this.systemDark ? 'dark' : 'light';
    return this.choice;
  }

  choose(choice: ThemeChoice): void {
    this.choice = choice;
    saveValue(storageKey, choice);
  }
}

export const theme = new ThemeState();
