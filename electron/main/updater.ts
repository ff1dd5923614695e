// electron-updater, wired to the engine's update service and nothing more: the feed is the
// clinic cloud's (its URL and credential from the engine), every offer goes through the
// engine's screen as `isUserWithinRollout` (which also decides whether a signed rollback may go
// back), every download is handed to the engine to check, and only the engine says when to
// install. electron-updater never installs on its own.
import electronUpdater, { type UpdateDownloadedEvent } from 'electron-updater';
import type { Engine } from '../engine/engine';

const { autoUpdater } = electronUpdater;
const CHECK_EVERY_MS = 4 * 3600_000;
const EVALUATE_EVERY_MS = 60_000;

/** Call once the window has shown (the engine counted this start at boot). */
export function startUpdater(engine: Engine, opts: { unpackaged: boolean }): () => void {
  const { updates } = engine;
  // electron-updater skips an unpackaged app unless told; the feed and every check are the same.
  autoUpdater.forceDevUpdateConfig = opts.unpackaged;
  autoUpdater.autoDownload = true;
  autoUpdater.autoInstallOnAppQuit = false;
  // Block maps are not signed by the vendor: only whole files, checked whole, are installed.
  autoUpdater.disableDifferentialDownload = true;
  autoUpdater.allowDowngrade = false;
  autoUpdater.isUserWithinRollout = async (info) => {
    const s = await updates.screen(info);
    autoUpdater.allowDowngrade = s.allowDowngrade;
    return s.within;
  };
  autoUpdater.on('update-downloaded', (e: UpdateDownloadedEvent) => void updates.downloaded(e, e.downloadedFile));
  autoUpdater.on('error', (e: Error & { code?: string }) => void updates.failed(e.code ?? 'ERR_UPDATER'));
  updates.setInstaller(() => autoUpdater.quitAndInstall(true, true));

  const check = () => {
    const feed = updates.feed();
    if (!feed) return;
    autoUpdater.setFeedURL({ provider: 'generic', url: feed.url });
    autoUpdater.requestHeaders = feed.headers;
    autoUpdater.checkForUpdates().catch(() => undefined);
  };
  check();
  const checking = setInterval(check, CHECK_EVERY_MS);
  const evaluating = setInterval(() => void updates.evaluate(), EVALUATE_EVERY_MS);
  // Only IT's policy changes: the engine's own news (verified, refused) must not start a check again.
  const off = engine.on('updates.changed', (e) => { if (e.policy) check(); });
  return () => {
    clearInterval(checking);
    clearInterval(evaluating);
    off();
  };
}
