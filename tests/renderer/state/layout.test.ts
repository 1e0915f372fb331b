import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../src/main/engine';
import { createEngineEvents } from '../../../src/renderer/src/state/events';
import { Layout, logPaneLimits } from '../../../src/renderer/src/state/layout.svelte';
import { SettingsState } from '../../../src/renderer/src/state/settings.svelte';
import { eventually } from '../../support/engine-calls';
import { inProcessApi } from '../../support/in-process-api';

describe('layout state against a real engine in-process', () => {
  const engines: Engine[] = [];
  afterEach(async () => {
    for (const engine of engines.splice(0)) await engine.close();
  });

  async function start(dataDir: string): Promise<{ engine: Engine; settings: SettingsState }> {
    const engine = await Engine.start({ transport: 'web', version: 'test', dataDir });
    engines.push(engine);
    const api = inProcessApi(engine);
    const events = createEngineEvents(api);
    const settings = new SettingsState(api, events);
    events.start();
    await settings.load();
    return { engine, settings };
  }
  const savedUi = async (engine: Engine) => (await engine.run('settings.get', {})).values.ui;

  it('starts from the defaults, the sidebar as the window width asks', async () => {
    const { settings } = await start(mkdtempSync(join(tmpdir(), 'sockscope-layout-')));
    expect(new Layout(settings, false)).toMatchObject({
      sidebarCollapsed: false,
      logPanePercent: 55,
      detailWrap: true,
    });
    expect(new Layout(settings, true).sidebarCollapsed).toBe(true);
  });

  it('saves the split rounded to 0.1 % and clamped to its limits, and skips changes under 0.1 %', async () => {
    const { engine, settings } = await start(mkdtempSync(join(tmpdir(), 'sockscope-layout-')));
    const layout = new Layout(settings, false);
    layout.logPanePercent = 63.44;
    expect(layout.logPanePercent).toBe(63.4);
    await eventually(async () => expect((await savedUi(engine))?.logPanePercent).toBe(63.4));

    layout.logPanePercent = 99;
    expect(layout.logPanePercent).toBe(logPaneLimits.max);
    layout.logPanePercent = 1;
    expect(layout.logPanePercent).toBe(logPaneLimits.min);
    await eventually(async () =>
      expect((await savedUi(engine))?.logPanePercent).toBe(logPaneLimits.min),
    );

    // A drag step smaller than the rounding saves nothing.
    const before = settings.values;
    layout.logPanePercent = logPaneLimits.min + 0.04;
    expect(settings.values).toBe(before);
  });

  it('keeps the split, the sidebar and the wrap across a restart of the engine', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sockscope-layout-'));
    const first = await start(dataDir);
    const layout = new Layout(first.settings, false);
    layout.logPanePercent = 40;
    layout.sidebarCollapsed = true;
    layout.detailWrap = false;
    await eventually(async () =>
      expect(await savedUi(first.engine)).toEqual({
        logPanePercent: 40,
        sidebarCollapsed: true,
        detailWrap: false,
      }),
    );
    await first.engine.close();

    const again = new Layout((await start(dataDir)).settings, false);
    expect(again).toMatchObject({ logPanePercent: 40, sidebarCollapsed: true, detailWrap: false });
  });

  it('takes the defaults where a saved value is out of range or of the wrong type', async () => {
    const { engine, settings } = await start(mkdtempSync(join(tmpdir(), 'sockscope-layout-')));
    await engine.run('settings.set', {
      values: { ui: { logPanePercent: 99.5, sidebarCollapsed: 'yes', detailWrap: 1 } },
    });
    await eventually(() => expect(settings.values.ui?.logPanePercent).toBe(99.5));
    expect(new Layout(settings, false)).toMatchObject({
      logPanePercent: 55,
      sidebarCollapsed: false,
      detailWrap: true,
    });
  });
});
