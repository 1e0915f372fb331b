import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../../src/main/engine';
import { defaultDataDir } from '../../../../src/main/engine/settings/data-dir';
import { SettingsStore } from '../../../../src/main/engine/settings/settings-store';
import { call } from '../../../support/engine-calls';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sockscope-settings-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sent = (text: string) =>
  ({ format: 'text', text, charset: 'utf-8', lineEnding: 'none' }) as const;

describe('settings in the data directory', () => {
  it('survive a restart of the engine, budget included', async () => {
    const first = await Engine.start({ transport: 'web', version: 'test', dataDir: dir });
    await call(first, 'settings.set', { values: { language: 'zh-CN', ui: { logSplit: 0.4 } } });
    await call(first, 'settings.remember', { list: 'sendHistory', entry: sent('hello\\r\\n') });
    await call(first, 'log.setBudget', { budgetBytes: 64 * 1024 * 1024 });
    await first.close();

    const second = await Engine.start({ transport: 'web', version: 'test', dataDir: dir });
    const { values, problem } = await call(second, 'settings.get', {});
    expect(problem).toBeNull();
    expect(values).toEqual({
      language: 'zh-CN',
      ui: { logSplit: 0.4 },
      sendHistory: [sent('hello\\r\\n')],
      log: { budgetBytes: 64 * 1024 * 1024 },
    });
    expect((await call(second, 'log.stats', {})).budgetBytes).toBe(64 * 1024 * 1024);
    await second.close();
    // Only the file itself: no temp files left beside it.
    expect(await readdir(dir)).toEqual(['settings.json']);
  });

  it('lose nothing when pages write at once', async () => {
    const engine = await Engine.start({ transport: 'web', version: 'test', dataDir: dir });
    await Promise.all([
      ...Array.from({ length: 20 }, (_, i) =>
        call(engine, 'settings.remember', { list: 'sendHistory', entry: sent(`page A ${i}`) }),
      ),
      ...Array.from({ length: 20 }, (_, i) =>
        call(engine, 'settings.remember', { list: 'sendHistory', entry: sent(`page B ${i}`) }),
      ),
      call(engine, 'settings.set', { values: { ui: { split: 300 } } }),
      call(engine, 'settings.set', { values: { ui: { paneOpen: true } } }),
      call(engine, 'settings.set', { values: { log: { windowRecords: 5000 } } }),
      call(engine, 'settings.set', { values: { language: 'en' } }),
    ]);
    await engine.close();
    const saved = JSON.parse(await readFile(join(dir, 'settings.json'), 'utf8')) as {
      values: { sendHistory: { text: string }[]; ui: object; log: object; language: string };
    };
    expect(saved.values.sendHistory).toHaveLength(40);
    expect(new Set(saved.values.sendHistory.map((entry) => entry.text)).size).toBe(40);
    expect(saved.values.ui).toEqual({ split: 300, paneOpen: true });
    expect(saved.values.log).toEqual({ windowRecords: 5000 });
    expect(saved.values.language).toBe('en');
  });

  it('keeps a history short, newest first, an equal payload moved up instead of repeated', async () => {
    const store = SettingsStore.inMemory();
    for (let i = 0; i < 60; i++) await store.remember('sendHistory', sent(`p${i}`));
    await store.remember('sendHistory', sent('p55'));
    const history = store.current().sendHistory!;
    expect(history).toHaveLength(50);
    expect(history.slice(0, 3).map((entry) => entry.text)).toEqual(['p55', 'p59', 'p58']);
    expect(history.filter((entry) => entry.text === 'p55')).toHaveLength(1);
    await store.clear('sendHistory');
    expect(store.current().sendHistory).toEqual([]);
  });

  it('moves a corrupt file aside, starts from defaults and says so once', async () => {
    for (const [content, reason] of [
      ['{"version": 1, "values": {"language": "klingon"}', /JSON/],
      [
        '{"version": 1, "values": {"language": "klingon"}}',
        /values\.language: must be en or zh-CN/,
      ],
      ['\u0000\u0001 not json at all', /JSON/],
    ] as const) {
      await writeFile(join(dir, 'settings.json'), content);
      const engine = await Engine.start({ transport: 'web', version: 'test', dataDir: dir });
      const first = await call(engine, 'settings.get', {});
      expect(first.values).toEqual({});
      expect(first.problem).toMatchObject({
        file: join(dir, 'settings.json'),
        movedTo: join(dir, 'settings.json.bad'),
        reason,
      });
      expect((await call(engine, 'settings.get', {})).problem).toBeNull();
      expect(await readFile(join(dir, 'settings.json.bad'), 'utf8')).toBe(content);
      // The engine works on, and saves anew.
      await call(engine, 'settings.set', { values: { language: 'en' } });
      await engine.close();
      expect(JSON.parse(await readFile(join(dir, 'settings.json'), 'utf8'))).toEqual({
        version: 1,
        values: { language: 'en' },
      });
      await rm(join(dir, 'settings.json'));
    }
  });

  it('refuses bad values at the boundary, naming the field', async () => {
    const engine = await Engine.start({ transport: 'web', version: 'test', dataDir: dir });
    await expect(
      call(engine, 'settings.set', { values: { log: { windowRecords: 5 } } }),
    ).rejects.toMatchObject({ code: 'ERR_INVALID_ARGS', message: /values\.log\.windowRecords/ });
    await expect(
      call(engine, 'settings.remember', {
        list: 'sendHistory',
        entry: { ...sent('x'), text: 'x'.repeat(70_000) },
      }),
    ).rejects.toMatchObject({ message: /entry\.text: is longer than 64 KiB/ });
    await engine.close();
  });

  it('says why a save failed, and keeps the value for this run', async () => {
    const engine = await Engine.start({ transport: 'web', version: 'test', dataDir: dir });
    // A folder where the file should be: the rename over it fails.
    await rm(dir, { recursive: true });
    await expect(
      call(engine, 'settings.set', { values: { language: 'zh-CN' } }),
    ).rejects.toMatchObject({ code: 'ERR_SETTINGS_WRITE_FAILED', message: /Could not save/ });
    expect((await call(engine, 'settings.get', {})).values.language).toBe('zh-CN');
    await engine.close();
  });

  it('defaults to $XDG_CONFIG_HOME/sockscope, else ~/.config/sockscope', () => {
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/x/config' }, '/home/u')).toBe('/x/config/sockscope');
    expect(defaultDataDir({}, '/home/u')).toBe('/home/u/.config/sockscope');
    expect(defaultDataDir({ XDG_CONFIG_HOME: 'relative' }, '/home/u')).toBe(
      '/home/u/.config/sockscope',
    );
  });
});
