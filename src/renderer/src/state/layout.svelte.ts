import { settings } from './settings.svelte';
import type { SettingsState } from './settings.svelte';

/** The packet log's share of the workbench height, in percent. */
export const logPaneLimits = { min: 20, max: 85 } as const;
const defaultLogPercent = 55;

// Narrow windows start with the sidebar folded, so the log gets the width.
const narrowAtStart = (globalThis.innerWidth ?? 1280) < 1100;

const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';
const isPercent = (value: unknown): value is number =>
  typeof value === 'number' && value >= logPaneLimits.min && value <= logPaneLimits.max;

/**
 * How the workbench is laid out: layout preferences the engine keeps with the other
 * settings in its data directory, so they survive a restart.
 */
export class Layout {
  constructor(
    private readonly settings: SettingsState,
    /** Where the sidebar starts when nothing was saved: folded in narrow windows. */
    private readonly collapsedAtStart: boolean = narrowAtStart,
  ) {}

  get sidebarCollapsed(): boolean {
    return this.saved('sidebarCollapsed', isBoolean) ?? this.collapsedAtStart;
  }
  set sidebarCollapsed(collapsed: boolean) {
    this.settings.set({ ui: { sidebarCollapsed: collapsed } });
  }

  get logPanePercent(): number {
    return this.saved('logPanePercent', isPercent) ?? defaultLogPercent;
  }
  set logPanePercent(percent: number) {
    const clamped = Math.min(logPaneLimits.max, Math.max(logPaneLimits.min, percent));
    const rounded = Math.round(clamped * 10) / 10;
    if (Math.abs(rounded - this.logPanePercent) < 0.1) return;
    this.settings.set({ ui: { logPanePercent: rounded } });
  }

  get detailWrap(): boolean {
    return this.saved('detailWrap', isBoolean) ?? true;
  }
  set detailWrap(wrap: boolean) {
    this.settings.set({ ui: { detailWrap: wrap } });
  }

  private saved<T extends number | string | boolean>(
    key: string,
    valid: (value: unknown) => value is T,
  ): T | undefined {
    const value = this.settings.values.ui?.[key];
    return valid(value) ? value : undefined;
  }
}

export const layout = new Layout(settings);
