// The charsets a payload, a log view, a search and an export may use: one list for
// the contract's schemas and every menu in the UI.

export const charsets = ['utf-8', 'gbk', 'latin1'] as const;
export type Charset = (typeof charsets)[number];

/** How people write each charset's name. */
export const charsetNames: Record<Charset, string> = {
  'utf-8': 'UTF-8',
  gbk: 'GBK',
  latin1: 'Latin-1',
};
