import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FuseState, FuseV1Options, getCurrentFuseWire, flipFuses } from '@electron/fuses';
import type { FuseConfig } from '@electron/fuses';
import { describe, expect, it } from 'vitest';
import config from '../../electron-builder.config';
import { flipFusesAfterPack, fuseConfig } from '../../packaging/fuses';

const root = join(import.meta.dirname, '../..');

// electron-builder's own loader and schema, resolved the way its CLI resolves them.
const builderRequire = createRequire(createRequire(import.meta.url).resolve('electron-builder'));
const libRequire = createRequire(builderRequire.resolve('app-builder-lib'));
const { getConfig, validateConfiguration } = builderRequire(
  'app-builder-lib/out/util/config/config.js',
) as {
  getConfig(projectDir: string, configPath: string): Promise<Record<string, unknown>>;
  validateConfiguration(config: unknown, logger: unknown): Promise<void>;
};
const { DebugLogger } = libRequire('builder-util') as { DebugLogger: new (on: boolean) => unknown };

/** A stand-in Electron binary: random bytes around a fuse wire of `length` fuses. */
function fakeElectronBinary(length: number): string {
  const sentinel = Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX');
  // Electron ships with RunAsNode, NODE_OPTIONS and --inspect on, the asar fuses off.
  const wire = Buffer.alloc(length, FuseState.DISABLE);
  for (const on of [0, 2, 3, 7, 8]) if (on < length) wire[on] = FuseState.ENABLE;
  const path = join(mkdtempSync(join(tmpdir(), 'sockscope-fuses-')), 'sockscope');
  writeFileSync(
    path,
    Buffer.concat([randomBytes(4096), sentinel, Buffer.from([1, length]), wire, randomBytes(4096)]),
  );
  return path;
}

/** The afterPack context electron-builder passes, with its real fuse flipper on a file. */
function packContext(binary: string, platform: string) {
  return {
    electronPlatformName: platform,
    packager: {
      addElectronFuses: (_context: unknown, fuses: FuseConfig) => flipFuses(binary, fuses),
    },
  } as never;
}

describe('the electron-builder configuration', () => {
  it('builds AppImage and deb on Linux, NSIS on Windows, dmg on macOS', () => {
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.win?.target).toEqual(['nsis']);
    expect(config.mac?.target).toEqual(['dmg']);
    expect(config.linux?.maintainer).toMatch(/<.+@.+>/);
  });

  it('packs only the build into an asar and flips the fuses after packing', () => {
    expect(config.asar).toBe(true);
    expect(config.files).toEqual(['out/**/*', '!out/**/*.map', '!out/main/web.js', 'package.json']);
    expect(config.afterPack).toBe(flipFusesAfterPack);
    // electron-builder's built-in flipper stays off: the hook is the one place.
    expect('electronFuses' in config).toBe(false);
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      main: string;
      scripts: Record<string, string>;
    };
    expect(manifest.main).toBe('./out/main/index.js');
    expect(manifest.scripts.dist).toBe(
      'electron-vite build && electron-builder --config electron-builder.config.ts',
    );
  });

  it("is what electron-builder's own loader reads and its schema accepts", async () => {
    const loaded = await getConfig(root, 'electron-builder.config.ts');
    expect(loaded).toMatchObject({ appId: 'dev.sockscope.app', asar: true });
    expect(typeof loaded.afterPack).toBe('function');
    await expect(validateConfiguration(loaded, new DebugLogger(false))).resolves.toBeUndefined();
    // The schema check is real: a misspelt option is refused.
    await expect(
      validateConfiguration(
        { ...loaded, linux: { target: ['AppImage'], targt: 'deb' } },
        new DebugLogger(false),
      ),
    ).rejects.toThrow(/Invalid configuration/);
  });
});

describe('the fuses', () => {
  it('turn off run-as-Node, NODE_OPTIONS, --inspect and file:// privileges; turn on asar integrity and asar-only', () => {
    const fuses = fuseConfig('linux');
    expect(fuses[FuseV1Options.RunAsNode]).toBe(false);
    expect(fuses[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false);
    expect(fuses[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false);
    expect(fuses[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(false);
    expect(fuses[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true);
    expect(fuses[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
    // Every fuse this @electron/fuses knows is decided, and an unknown one fails the pack.
    const known = Object.values(FuseV1Options).filter((value) => typeof value === 'number');
    for (const fuse of known)
      expect(typeof fuses[fuse as FuseV1Options], String(fuse)).toBe('boolean');
    expect(fuses.strictlyRequireAllFuses).toBe(true);
    expect(fuseConfig('darwin').resetAdHocDarwinSignature).toBe(true);
    expect(fuseConfig('win32').resetAdHocDarwinSignature).toBe(false);
  });

  it('are flipped in the packed binary by the afterPack hook', async () => {
    const binary = fakeElectronBinary(9);
    await flipFusesAfterPack(packContext(binary, 'linux'));
    const wire = await getCurrentFuseWire(binary);
    expect(wire[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE);
  });

  it('fail the pack when the binary has a fuse this configuration does not decide', async () => {
    await expect(flipFusesAfterPack(packContext(fakeElectronBinary(10), 'linux'))).rejects.toThrow(
      /strictlyRequireAllFuses/,
    );
  });
});
