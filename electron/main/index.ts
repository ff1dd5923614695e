// Electron glue only: lifecycle, the hardened window, the session's permission and navigation
// guards, the keystore-backed engine and the IPC binding. Logic belongs in the engine.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFile } from 'node:fs/promises';
import { app, BrowserWindow, dialog, session } from 'electron';
import { createDispatcher } from '../engine/api/dispatcher';
import { dataFiles, Engine } from '../engine/engine';
import { createLogger } from '../engine/logger';
import { bindIpc } from './ipc';
import { startUpdater } from './updater';
import { createSafeStorageProtector } from './safe-storage-protector';
import { appContentSecurityPolicy, isAppUrl, isNavigationAllowed, isPermissionAllowed, isScreenShareAllowed, mainWindowOptions } from './security';

app.enableSandbox();
if (!app.requestSingleInstanceLock()) app.quit();

const here = dirname(fileURLToPath(import.meta.url));
const devServer = process.env.ELECTRON_RENDERER_URL;
const appOrigin = devServer ? new URL(devServer).origin : 'file://';

/**
 * Non-PHI workstation settings an admin sets in userData/workstation.json, or through device
 * management with CHARTROOM_ALLOW_BASIC_TEXT_KEYSTORE=1.
 */
async function workstationSettings(dir: string): Promise<{ allowBasicTextKeystore: boolean }> {
  const fromEnv = process.env.CHARTROOM_ALLOW_BASIC_TEXT_KEYSTORE === '1';
  try {
    const raw = JSON.parse(await readFile(join(dir, 'workstation.json'), 'utf8')) as { allowBasicTextKeystore?: unknown };
    return { allowBasicTextKeystore: fromEnv || raw.allowBasicTextKeystore === true };
  } catch {
    return { allowBasicTextKeystore: fromEnv };
  }
}

async function start(): Promise<void> {
  const userData = app.getPath('userData');
  const dataDir = join(userData, 'data');
  const logger = createLogger(join(dataDir, dataFiles.logs, 'main.log'));

  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-navigate', (e, url) => { if (!isNavigationAllowed(url)) e.preventDefault(); });
    contents.on('will-redirect', (e, url) => { if (!isNavigationAllowed(url)) e.preventDefault(); });
    contents.on('will-attach-webview', (e) => e.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });

  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((wc, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? (details.mediaTypes ?? []) : [];
    callback(isPermissionAllowed(permission, details.requestingUrl ?? wc.getURL(), appOrigin, mediaTypes));
  });
  ses.setPermissionCheckHandler((_wc, permission, requestingOrigin) => isPermissionAllowed(permission, requestingOrigin, appOrigin));
  ses.setDisplayMediaRequestHandler((request, callback) => {
    if (!request.frame || !isScreenShareAllowed(request, appOrigin)) return callback(null);
    try {
      callback({ video: request.frame });
    } catch {
      // The page went away between asking and answering: nothing to share.
    }
  });
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [appContentSecurityPolicy] } });
  });

  let engine: Engine;
  try {
    const settings = await workstationSettings(userData);
    engine = await Engine.create({
      dataDir, keyProtector: createSafeStorageProtector(settings.allowBasicTextKeystore), logger, appVersion: app.getVersion(), installer: 'desktop',
      // An unpackaged app (a developer's, or the _electron spec's) may trust a test vendor key; a packaged one never.
      releaseKeys: !app.isPackaged && process.env.CHARTROOM_RELEASE_KEYS ? process.env.CHARTROOM_RELEASE_KEYS.split(',') : undefined,
    });
    // Counted before the window: a new version that dies here twice is reported by the next start.
    await engine.updates.booting();
  } catch (e) {
    dialog.showErrorBox('Chartroom cannot start', e instanceof Error ? e.message : 'Unknown error');
    app.quit();
    return;
  }

  const window = new BrowserWindow(mainWindowOptions(join(here, '../preload/index.cjs')));
  const unbind = bindIpc(engine, createDispatcher(engine), window, appOrigin);
  let stopUpdater = () => undefined as void;
  window.once('ready-to-show', () => {
    window.show();
    void engine.updates.started();
    stopUpdater = startUpdater(engine, { unpackaged: !app.isPackaged });
  });
  window.on('closed', () => {
    unbind();
    stopUpdater();
  });
  app.on('second-instance', () => { if (window.isMinimized()) window.restore(); window.focus(); });
  app.on('before-quit', () => void engine.close());

  if (devServer && isAppUrl(devServer, appOrigin)) await window.loadURL(devServer);
  else await window.loadFile(join(here, '../renderer/index.html'));
}

app.on('window-all-closed', () => app.quit());
void app.whenReady().then(start);
