import { z } from 'zod';
import { LogBudgetArgs } from './log';
import { AddressLookupArgs, DnsQueryArgs, HostLookupArgs } from './lookups';
import { ServiceByNameArgs, ServiceByPortArgs } from './services';
import { Charset, LineEnding, PayloadFormat } from './payload';

// What survives a restart, kept by the engine in its data directory. Each key has
// its own schema; pages change keys, never the whole file, so two pages writing
// at once lose nothing.

export const Language = z.enum(['en', 'zh-CN'], { error: 'must be en or zh-CN' });
export type Language = z.infer<typeof Language>;

/** The longest payload text kept in the send history (longer sends are not remembered). */
export const maxRememberedText = 64 * 1024;

/** A payload as it was sent, for ↑ / ↓ recall. */
export const SentPayload = z.object({
  format: PayloadFormat,
  text: z.string().max(maxRememberedText, { error: 'is longer than 64 KiB' }),
  charset: Charset,
  lineEnding: LineEnding,
});
export type SentPayload = z.infer<typeof SentPayload>;

/** A lookup as it ran, checked on load by its command's own argument schema. */
export const LookupRequest = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('host'), args: HostLookupArgs }),
  z.object({ kind: z.literal('address'), args: AddressLookupArgs }),
  z.object({ kind: z.literal('dns'), args: DnsQueryArgs }),
  z.object({ kind: z.literal('serviceByName'), args: ServiceByNameArgs }),
  z.object({ kind: z.literal('serviceByPort'), args: ServiceByPortArgs }),
]);

export const RecentLookup = z.object({
  id: z.number(),
  request: LookupRequest,
  ok: z.boolean(),
  summary: z.string().max(1000),
  atMs: z.number(),
});
export type RecentLookup = z.infer<typeof RecentLookup>;

export const LogSettings = z.object({
  /** Records the page's list keeps. */
  windowRecords: z.number().int().min(1000).max(1_000_000),
  budgetBytes: LogBudgetArgs.shape.budgetBytes,
});
export type LogSettings = z.infer<typeof LogSettings>;

/** Layout preferences (a split's size, a pane left open): small named values. */
export const UiPrefs = z.record(
  z.string().min(1).max(64),
  z.union([z.number(), z.string().max(256), z.boolean()]),
);
export type UiPrefs = z.infer<typeof UiPrefs>;

export const listLimits = { sendHistory: 50, recentLookups: 30 } as const;
export type SettingsList = keyof typeof listLimits;

export const Settings = z.object({
  language: Language.optional(),
  sendHistory: z.array(SentPayload).max(listLimits.sendHistory).optional(),
  recentLookups: z.array(RecentLookup).max(listLimits.recentLookups).optional(),
  log: LogSettings.partial().optional(),
  ui: UiPrefs.optional(),
});
export type Settings = z.infer<typeof Settings>;

/** A saved file that could not be used: moved aside, reported once. */
export const SettingsProblem = z.object({
  file: z.string(),
  movedTo: z.string().nullable(),
  reason: z.string(),
});
export type SettingsProblem = z.infer<typeof SettingsProblem>;

export const SettingsGetResult = z.object({
  values: Settings,
  /** Set once, for the first page that asks after the engine found a bad file. */
  problem: SettingsProblem.nullable(),
});

/**
 * Changes some keys; keys not named keep their value. `log` and `ui` merge one
 * level deeper, so a page saving a split size does not undo another's.
 */
export const SettingsSetArgs = z.object({
  values: Settings.omit({ sendHistory: true, recentLookups: true }),
});

/** Puts an entry at the head of a list (an equal entry moves up instead of repeating). */
export const SettingsRememberArgs = z.discriminatedUnion('list', [
  z.object({ list: z.literal('sendHistory'), entry: SentPayload }),
  z.object({ list: z.literal('recentLookups'), entry: RecentLookup }),
]);

export const SettingsClearArgs = z.object({
  list: z.enum(['sendHistory', 'recentLookups'], {
    error: 'must be sendHistory or recentLookups',
  }),
});

export const settingsCommands = {
  'settings.get': { args: z.object({}), result: SettingsGetResult },
  'settings.set': { args: SettingsSetArgs, result: Settings },
  'settings.remember': { args: SettingsRememberArgs, result: Settings },
  'settings.clear': { args: SettingsClearArgs, result: Settings },
} as const;
