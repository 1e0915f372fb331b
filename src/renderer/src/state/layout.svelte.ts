import { settings } from './settings.svelte';

/** The packet log's share of the workbench height, in percent. */
export const logPaneLimits = { min: 20, max: 85 } as const;
const defaultLogPercent = 55;

// Narrow windows start with the sidebar folded, so the log gets the width.
const narrowAtStart = (globalThis.innerWidth ?? 1280) < 1100;

function saved<T extends number | string | boolean>(
  key: string,
  valid: (value: unknown) => value is T,
): T | undefined {
  const value = settings.values.ui?.[key];
  return valid(value) ? value : undefined;
}

const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';
const isPercent = (value: unknown): value is number =>
  typeof value === 'number' && value >= logPaneLimits.min && value <= logPaneLimits.max;

/**
 * How the workbench is laid out: layout preferences the engine keeps with the other
 * settings in its data directory, so they survive a restart.
 */
class Layout {
  get sidebarCollapsed(): boolean {
    return saved('sidebarCollapsed', isBoolean) ?? narrowAtStart;
  }
  set sidebarCollapsed(collapsed: boolean) {
    settings.set({ ui: { sidebarCollapsed: collapsed } });
  }

  get logPanePercent(): number {
    return saved('logPanePercent', isPercent) ?? defaultLogPercent;
  }
  set logPanePercent(percent: number) {
    const clamped = Math.min(logPaneLimits.max, Math.max(logPaneLimits.min, percent));
    const rounded = Math.round(clamped * 10) / 10;
    if (Math.abs(rounded - this.logPanePercent) < 0.1) return;
    settings.set({ ui: { logPanePercent: rounded } });
  }

  get detailWrap(): boolean {
    return saved('detailWrap', isBoolean) ?? true;
  }
  set detailWrap(wrap: boolean) {
    settings.set({ ui: { detailWrap: wrap } });
  }
}

export const layout = new Layout();
