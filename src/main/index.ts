import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, ipcMain, protocol, session } from 'electron';
import { appPageUrl, devServerUrl, handleAppProtocol, registerAppScheme } from './app-protocol';
import { Engine } from './engine';
import { registerIpc } from './ipc';
import { createMainWindow, hardenContents, hardenSession } from './window';

const here = fileURLToPath(new URL('.', import.meta.url));

app.enableSandbox();
registerAppScheme(protocol);
// Every webContents, however created, gets the same locks.
app.on('web-contents-created', (_event, contents) => hardenContents(contents));

async function main(): Promise<void> {
  await app.whenReady();
  const engine = await Engine.start({
    transport: 'electron',
    version: app.getVersion(),
    dataDir: app.getPath('userData'),
  });
  hardenSession(session.defaultSession);
  handleAppProtocol(protocol, join(here, '../renderer'));

  const window = createMainWindow(join(here, '../preload/index.cjs'));
  const appUrl =
    devServerUrl({ isPackaged: app.isPackaged, argv: process.argv, env: process.env }) ??
    appPageUrl;
  const unregister = registerIpc(ipcMain, engine, window.webContents, appUrl);
  await window.loadURL(appUrl);

  app.on('window-all-closed', () => {
    unregister();
    void engine.close().finally(() => app.quit());
  });
}

main().catch((error: unknown) => {
  console.error('sockscope failed to start:', error);
  app.exit(1);
});
