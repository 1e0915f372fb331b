import { FuseV1Options, FuseVersion } from '@electron/fuses';
import type { FuseV1Config } from '@electron/fuses';
import type { AfterPackContext } from 'electron-builder';

/**
 * The packaged binary's fuses. Every fuse is set explicitly and `strictlyRequireAllFuses`
 * fails the pack if a newer Electron adds one, so no fuse is left at its default unseen.
 */
export function fuseConfig(platform: string): FuseV1Config {
  return {
    version: FuseVersion.V1,
    strictlyRequireAllFuses: true,
    // Flipping a fuse breaks an ad-hoc macOS signature; sign again before the real signing.
    resetAdHocDarwinSignature: platform === 'darwin' || platform === 'mas',
    // The binary never runs as plain Node, never takes NODE_OPTIONS or --inspect.
    [FuseV1Options.RunAsNode]: false,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    // The app is the signed asar and nothing else; file:// gets no extra rights.
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
    // Electron's defaults, stated.
    [FuseV1Options.EnableCookieEncryption]: true,
    [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
    [FuseV1Options.WasmTrapHandlers]: true,
  };
}

/**
 * electron-builder's afterPack hook: runs once the app is copied into its Electron
 * binary's folder and before anything is signed, which is when fuses must be flipped.
 */
export async function flipFusesAfterPack(context: AfterPackContext): Promise<void> {
  const flipped = await context.packager.addElectronFuses(
    context,
    fuseConfig(context.electronPlatformName),
  );
  if (flipped < 1) throw new Error('sockscope: no fuse wire found in the packaged Electron binary');
}
