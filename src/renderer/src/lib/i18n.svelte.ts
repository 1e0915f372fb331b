import { en, zhCN } from './messages';
import type { MessageKey } from './messages';
import { engineEn, engineZh } from './engine-messages';
import { errorText, eventText, noticeText, problemText } from './engine-words';
import type { CodedError, EngineWords, EventRecord } from './engine-words';
import { settings } from '../state/settings.svelte';

export type Locale = 'en' | 'zh-CN';

const dictionaries: Record<Locale, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };
const engineDictionaries: Record<Locale, EngineWords> = { en: engineEn, 'zh-CN': engineZh };

/** Until the saved choice arrives (or when there is none), the browser's language. */
function browserLocale(): Locale {
  return globalThis.navigator?.language?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

class I18n {
  locale = $state<Locale>(browserLocale());
  /** The user chose a language on this page: the saved one, arriving later, must not undo it. */
  private chosen = false;

  constructor() {
    void settings.ready.then(() => {
      const saved = settings.values.language;
      if (saved !== undefined && !this.chosen) this.locale = saved;
    });
  }

  setLocale(locale: Locale): void {
    this.chosen = true;
    this.locale = locale;
    settings.set({ language: locale });
    if (globalThis.document !== undefined) document.documentElement.lang = locale;
  }

  /** The message in the current locale, with `{name}` placeholders filled. */
  t = (key: MessageKey, params: Record<string, string | number> = {}): string =>
    dictionaries[this.locale][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
      name in params ? String(params[name]) : whole,
    );

  /** The hour, minute and second words a duration is written with. */
  units = (): { h: string; m: string; s: string } => ({
    h: this.t('unitHours'),
    m: this.t('unitMinutes'),
    s: this.t('unitSeconds'),
  });

  /** An engine error in the current locale (the engine's English for unknown codes). */
  error = (error: CodedError, fieldLabels: Readonly<Record<string, string>> = {}): string =>
    errorText(error, engineDictionaries[this.locale], fieldLabels);

  /** A field problem from the contract (schemas and codecs) in the current locale. */
  problem = (problem: string): string => problemText(problem, engineDictionaries[this.locale]);

  /** An engine notice in the current locale. */
  notice = (notice: Parameters<typeof noticeText>[0]): string =>
    noticeText(notice, engineDictionaries[this.locale]);

  /** A log event record's words in the current locale. */
  event = (record: EventRecord): string => eventText(record, engineDictionaries[this.locale]);
}

export const i18n = new I18n();
