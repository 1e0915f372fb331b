// Small lists the UI keeps between runs (recent lookups, sent payloads) in localStorage.

/** The saved list, at most `limit` long; empty when absent or unreadable. */
export function loadList<T>(key: string, limit: number): T[] {
  try {
    const saved: unknown = JSON.parse(globalThis.localStorage?.getItem(key) ?? '[]');
    return Array.isArray(saved) ? (saved as T[]).slice(0, limit) : [];
  } catch {
    return [];
  }
}

export function saveList<T>(key: string, list: readonly T[]): void {
  try {
    globalThis.localStorage?.setItem(key, JSON.stringify(list));
  } catch {
    // Storage full or disabled: the list still works for this session.
  }
}
