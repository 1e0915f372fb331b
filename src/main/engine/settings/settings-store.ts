import { mkdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { Settings, listLimits } from '@shared/contract/settings';
import type {
  RecentLookup,
  SentPayload,
  SettingsList,
  SettingsProblem,
} from '@shared/contract/settings';
import { ErrorCode, SockscopeError } from '@shared/errors';
import { writeFileAtomic } from './atomic-file';

export const settingsFileName = 'settings.json';

/** The file as written: the values and the format's version. */
const SettingsFile = z.object({ version: z.literal(1), values: Settings });

type ListEntry = { sendHistory: SentPayload; recentLookups: RecentLookup };

/** Two history entries are the same payload when they would send the same thing. */
const sameEntry: { [L in SettingsList]: (a: ListEntry[L], b: ListEntry[L]) => boolean } = {
  sendHistory: (a, b) =>
    a.text === b.text &&
    a.format === b.format &&
    a.charset === b.charset &&
    a.lineEnding === b.lineEnding,
  recentLookups: (a, b) => a.id === b.id,
};

function describe(error: unknown): string {
  if (error instanceof z.ZodError)
    return error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.map(String).join('.') || 'file'}: ${issue.message}`)
      .join('; ');
  return error instanceof Error ? error.message : String(error);
}

/**
 * The settings the engine keeps in its data directory. Changes apply at once in
 * memory and are written one after another, each write atomic, so pages writing
 * at once lose nothing. A file that does not read or fails its schema is moved
 * aside as `settings.json.bad`; the engine starts from defaults and says so once.
 */
export class SettingsStore {
  private values: Settings;
  private problem: SettingsProblem | null;
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly path: string | null,
    values: Settings,
    problem: SettingsProblem | null,
  ) {
    this.values = values;
    this.problem = problem;
  }

  /** Settings kept in memory only (no data directory). */
  static inMemory(): SettingsStore {
    return new SettingsStore(null, {}, null);
  }

  /** Reads `settings.json` from the data directory (creating the directory). Never throws for a bad file. */
  static async load(dataDir: string): Promise<SettingsStore> {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    const path = join(dataDir, settingsFileName);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        return new SettingsStore(path, {}, null);
      return new SettingsStore(path, {}, { file: path, movedTo: null, reason: describe(error) });
    }
    try {
      return new SettingsStore(path, SettingsFile.parse(JSON.parse(text)).values, null);
    } catch (error) {
      // Moved aside, not deleted: the user may want what was in it.
      const aside = `${path}.bad`;
      const movedTo = await rename(path, aside).then(
        () => aside,
        () => null,
      );
      return new SettingsStore(path, {}, { file: path, movedTo, reason: describe(error) });
    }
  }

  current(): Settings {
    return this.values;
  }

  /** The problem found on load, given once: the first page to ask reports it. */
  takeProblem(): SettingsProblem | null {
    const problem = this.problem;
    this.problem = null;
    return problem;
  }

  /** Changes the keys given; `log` and `ui` merge key by key. */
  async set(values: Omit<Settings, SettingsList>): Promise<Settings> {
    const next: Settings = { ...this.values };
    if (values.language !== undefined) next.language = values.language;
    if (values.log !== undefined) next.log = { ...this.values.log, ...values.log };
    if (values.ui !== undefined) next.ui = { ...this.values.ui, ...values.ui };
    return this.commit(next);
  }

  /** Puts an entry at the head of a list; an equal entry moves up instead of repeating. */
  async remember<L extends SettingsList>(list: L, entry: ListEntry[L]): Promise<Settings> {
    const same = sameEntry[list];
    const old = (this.values[list] ?? []) as ListEntry[L][];
    const kept = [entry, ...old.filter((each) => !same(each, entry))].slice(0, listLimits[list]);
    return this.commit({ ...this.values, [list]: kept });
  }

  async clear(list: SettingsList): Promise<Settings> {
    return this.commit({ ...this.values, [list]: [] });
  }

  /** Resolves once every change made so far is on disk. */
  flushed(): Promise<void> {
    return this.writing;
  }

  private async commit(next: Settings): Promise<Settings> {
    this.values = next;
    if (this.path === null) return next;
    const path = this.path;
    // One write at a time, each of the newest values: a slow disk delays, never reorders.
    const write = this.writing.then(() =>
      writeFileAtomic(path, `${JSON.stringify({ version: 1, values: this.values }, null, 2)}\n`),
    );
    this.writing = write.catch(() => {});
    try {
      await write;
    } catch (error) {
      throw new SockscopeError(
        ErrorCode.settingsWriteFailed,
        `Could not save settings to ${path}: ${describe(error)}`,
        { path },
      );
    }
    return next;
  }
}
