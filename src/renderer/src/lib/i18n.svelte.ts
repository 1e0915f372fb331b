import { en, zhCN } from './messages';
import type { MessageKey } from './messages';

export type Locale = 'en' | 'zh-CN';

const dictionaries: Record<Locale, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };
const storageKey = 'sockscope.locale';

function initialLocale(): Locale {
  const saved = globalThis.localStorage?.getItem(storageKey);
  if (saved === 'en' || saved === 'zh-CN') return saved;
  return globalThis.navigator?.language?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

class I18n {
  locale = $state<Locale>(initialLocale());

  setLocale(locale: Locale): void {
    this.locale = locale;
    globalThis.localStorage?.setItem(storageKey, locale);
    document.documentElement.lang = locale;
  }

  /** The message in the current locale, with `{name}` placeholders filled. */
  t = (key: MessageKey, params: Record<string, string | number> = {}): string =>
    dictionaries[this.locale][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
      name in params ? String(params[name]) : whole,
    );
}

export const i18n = new I18n();
