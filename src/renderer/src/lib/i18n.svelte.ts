import { en, zhCN } from './messages';
import type { MessageKey } from './messages';
import { settings } from '../state/settings.svelte';

export type Locale = 'en' | 'zh-CN';

const dictionaries: Record<Locale, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };

/** Until the saved choice arrives (or when there is none), the browser's language. */
function browserLocale(): Locale {
  return globalThis.navigator?.language?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

class I18n {
  locale = $state<Locale>(browserLocale());

  constructor() {
    void settings.ready.then(() => {
      const saved = settings.values.language;
      if (saved !== undefined) this.locale = saved;
    });
  }

  setLocale(locale: Locale): void {
    this.locale = locale;
    settings.set({ language: locale });
    document.documentElement.lang = locale;
  }

  /** The message in the current locale, with `{name}` placeholders filled. */
  t = (key: MessageKey, params: Record<string, string | number> = {}): string =>
    dictionaries[this.locale][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
      name in params ? String(params[name]) : whole,
    );
}

export const i18n = new I18n();
