import { loadValue, saveValue } from '../lib/stored-value';

export interface LayoutSettings {
  /** The sidebar shows icons only. */
  sidebarCollapsed: boolean;
  /** The packet log's share of the workbench height, in percent. */
  logPanePercent: number;
  /** Long payloads in the record detail wrap instead of scrolling sideways. */
  detailWrap: boolean;
}

const storageKey = 'sockscope.layout';
export const logPaneLimits = { min: 20, max: 85 } as const;

function isLayout(value: unknown): value is LayoutSettings {
  if (typeof value !== 'object' || value === null) return false;
  const layout = value as Record<string, unknown>;
  return (
    typeof layout.sidebarCollapsed === 'boolean' &&
    typeof layout.detailWrap === 'boolean' &&
    typeof layout.logPanePercent === 'number' &&
    layout.logPanePercent >= logPaneLimits.min &&
    layout.logPanePercent <= logPaneLimits.max
  );
}

/** Narrow windows start with the sidebar folded, so the log gets the width. */
function defaults(): LayoutSettings {
  const narrow = (globalThis.innerWidth ?? 1280) < 1100;
  return { sidebarCollapsed: narrow, logPanePercent: 55, detailWrap: true };
}

/** How the workbench is laid out; kept across restarts. */
class Layout {
  private settings = $state<LayoutSettings>(loadValue(storageKey, defaults(), isLayout));

  get sidebarCollapsed(): boolean {
    return this.settings.sidebarCollapsed;
  }
  set sidebarCollapsed(collapsed: boolean) {
    this.update({ sidebarCollapsed: collapsed });
  }

  get logPanePercent(): number {
    return this.settings.logPanePercent;
  }
  set logPanePercent(percent: number) {
    const clamped = Math.min(logPaneLimits.max, Math.max(logPaneLimits.min, percent));
    if (Math.abs(clamped - this.settings.logPanePercent) < 0.1) return;
    this.update({ logPanePercent: Math.round(clamped * 10) / 10 });
  }

  get detailWrap(): boolean {
    return this.settings.detailWrap;
  }
  set detailWrap(wrap: boolean) {
    this.update({ detailWrap: wrap });
  }

  private update(change: Partial<LayoutSettings>): void {
    this.settings = { ...this.settings, ...change };
    saveValue(storageKey, this.settings);
  }
}

export const layout = new Layout();
