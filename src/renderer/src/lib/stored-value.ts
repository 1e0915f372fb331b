// Small settings the UI keeps between runs (layout, theme) in localStorage, beside
// the stored lists; each value is checked on load, so a damaged entry falls back.

export function loadValue<T>(key: string, fallback: T, valid: (value: unknown) => value is T): T {
  try {
    const saved: unknown = JSON.parse(globalThis.localStorage?.getItem(key) ?? 'null');
    return valid(saved) ? saved : fallback;
  } catch {
    return fallback;
  }
}

export function saveValue<T>(key: string, value: T): void {
  try {
    globalThis.localStorage?.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or disabled: the setting still holds for this run.
  }
}
