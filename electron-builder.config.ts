import type { Configuration } from 'electron-builder';
import { flipFusesAfterPack } from './packaging/fuses';

/**
 * `npm run dist`: installers for the machine's own platform from the electron-vite build.
 * electron-builder downloads the Electron runtime for the target, so this needs the
 * internet (it cannot run on our offline build machines).
 */
const config: Configuration = {
  appId: 'dev.sockscope.app',
  productName: 'sockscope',
  copyright: 'Copyright © sockscope contributors',
  directories: { output: 'dist', buildResources: 'packaging' },
  // Only the build; runtime dependencies are added from package.json by electron-builder.
  files: ['out/**/*', '!out/**/*.map', '!out/main/web.js', 'package.json'],
  asar: true,
  // No native modules: nothing to rebuild against Electron's headers.
  npmRebuild: false,
  afterPack: flipFusesAfterPack,
  linux: {
    target: ['AppImage', 'deb'],
    category: 'Network',
    maintainer: 'sockscope contributors <sockscope@localhost>',
    synopsis: 'A desktop workbench for socket work',
  },
  deb: { packageCategory: 'net' },
  win: { target: ['nsis'] },
  nsis: { oneClick: false, allowToChangeInstallationDirectory: true, perMachine: false },
  mac: { target: ['dmg'], category: 'public.app-category.developer-tools' },
};

export default config;
