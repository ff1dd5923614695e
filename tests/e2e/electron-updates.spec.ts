// The whole update path in the running Electron app, where an Electron binary exists: the
// clinic's cloud offers a signed release, the app's real electron-updater checks the feed and
// downloads it, the engine verifies it, the banner says when it installs, and signing out
// installs it on quit (the AppImage updater replaces $APPIMAGE with the verified file).
// Elsewhere it skips and says so: a skipped run proves nothing about this path.
import { execFileSync, execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { _electron as electron, expect, test } from '@playwright/test';
import { type CloudProcess, createTenantInDir, startCloudProcess } from '../helpers/cloud-process';
import { mainNav, setUpConnectedClinic } from '../helpers/e2e-clinic';
import { electronBinary } from '../helpers/electron-binary';
import { defaultVendor, makeBuild } from '../helpers/release-build';

const binary = electronBinary();
if (!binary) console.log('SKIPPED electron-updates.spec.ts: no Electron binary on this machine; the desktop update path (check, download, verify, install on quit) was NOT tested here.');

test('the desktop app checks, downloads, verifies and installs a signed update on sign-out', async () => {
  test.skip(!binary, 'SKIPPED: no Electron binary on this machine (ELECTRON_SKIP_BINARY_DOWNLOAD); the desktop update path was not exercised.');
  test.setTimeout(300_000);
  if (!existsSync('out/main/index.js')) execFileSync(process.execPath, ['node_modules/electron-vite/bin/electron-vite.js', 'build'], { stdio: 'inherit' });
  const root = await mkdtemp(join(tmpdir(), 'chartroom-electron-update-'));
  const cloudDir = join(root, 'cloud');
  const setupCode = await createTenantInDir(cloudDir, 'Maple Street');
  const build = await makeBuild(join(root, 'builds'), '99.0.0');
  const env = { ...process.env, CHARTROOM_RELEASE_KEYS: defaultVendor.publicKey };
  await promisify(execFile)(process.execPath, ['--import', 'tsx', 'cloud/cli.ts', 'release', 'publish', '--dir', build.dir, '--channel', 'stable', '--data-dir', cloudDir], { env });
  let cloud: CloudProcess | null = await startCloudProcess(cloudDir);
  const appImage = join(root, 'Chartroom.AppImage');
  await writeFile(appImage, 'the version before', { mode: 0o700 });
  const app = await electron.launch({
    executablePath: binary as string,
    args: ['out/main/index.js', `--user-data-dir=${join(root, 'user-data')}`, '--no-sandbox'],
    env: { ...env, CHARTROOM_ALLOW_BASIC_TEXT_KEYSTORE: '1', APPIMAGE: appImage },
  });
  try {
    const page = await app.firstWindow();
    await setUpConnectedClinic(page, { hostUrl: null, cloudUrl: cloud.url, setupCode, roles: [] });
    await mainNav(page, 'Updates').click();
    // A window that is not now, so the update waits for the sign-out.
    const hour = (h: number) => `${String((new Date().getHours() + h) % 24).padStart(2, '0')}:00`;
    await page.getByLabel('Window from').fill(hour(2));
    await page.getByLabel('Window to').fill(hour(3));
    await page.getByRole('button', { name: 'Set the window' }).click();
    await page.getByRole('button', { name: 'Roll out 99.0.0 to 100 %' }).click();
    // The policy change reaches the app at once; electron-updater downloads; the engine verifies.
    await expect(page.getByRole('status', { name: 'Update' })).toHaveText(`An update is ready and installs at ${hour(2)} or when you sign out.`, { timeout: 120_000 });
    const exited = new Promise((r) => app.process().once('exit', r));
    await page.getByRole('button', { name: 'Sign out' }).click();
    await exited;
    expect(await readFile(appImage)).toEqual(build.appImageBytes);
  } finally {
    await app.close().catch(() => undefined);
    await cloud?.stop();
    cloud = null;
    await rm(root, { recursive: true, force: true });
  }
});
