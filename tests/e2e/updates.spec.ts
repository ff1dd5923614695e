// IT's updates, in the app at a clinic screen: the vendor's releases published to the clinic's
// cloud with the command line, then from the Updates page a rollout 10 % → 50 %, a halt, a
// group of its own with a pin and a rollback (each audited), and the Workstations page showing
// the version each workstation runs. The browser host says updates are the desktop app's job.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '../helpers/e2e-test';
import { pageCall } from '../helpers/e2e-api';
import { type HostProcess, startHostProcess } from '../helpers/browser-host-process';
import { mainNav, setUpConnectedClinic } from '../helpers/e2e-clinic';
import { type CloudProcess, createTenantInDir, startCloudProcess } from '../helpers/cloud-process';
import { defaultVendor, grantRollback, makeBuild } from '../helpers/release-build';

const run = promisify(execFile);
const shots = 'test-results/updates';
let host: HostProcess;
let cloud: CloudProcess;
let cloudDir: string;
let setupCode: string;

const release = (...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', 'cloud/cli.ts', 'release', ...args, '--data-dir', cloudDir], { env: { ...process.env, CHARTROOM_RELEASE_KEYS: defaultVendor.publicKey } });

test.beforeEach(async () => {
  cloudDir = await mkdtemp(join(tmpdir(), 'chartroom-cloud-e2e-'));
  setupCode = await createTenantInDir(cloudDir, 'Maple Street');
  const builds = join(cloudDir, 'builds');
  for (const v of ['1.0.0', '1.1.0']) await release('publish', '--dir', (await makeBuild(builds, v)).dir, '--channel', 'stable');
  const grant = join(builds, 'rollback-1.0.0.json');
  await writeFile(grant, JSON.stringify(await grantRollback('stable', '1.0.0')), { mode: 0o600 });
  await release('add-rollback', '--file', grant);
  cloud = await startCloudProcess(cloudDir);
  host = await startHostProcess(undefined, ['--no-cloud']);
  await mkdir(shots, { recursive: true });
});
test.afterEach(async () => {
  await host.stop();
  await cloud.stop();
  await rm(cloudDir, { recursive: true, force: true });
});

test('IT rolls a release out, halts it, pins and rolls back a group, and sees each workstation’s version', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await setUpConnectedClinic(page, { hostUrl: host.url, cloudUrl: cloud.url, setupCode, roles: [] });
  await expect(page.getByLabel('Version')).toHaveText(/^Chartroom \d+\.\d+\.\d+Updates are installed by the desktop app\.$/);

  await mainNav(page, 'Updates').click();
  await expect(page.getByRole('heading', { name: 'Updates' })).toBeVisible();
  await expect(page.getByText('No release is offered yet.')).toBeVisible();
  const releases = page.getByRole('table', { name: 'Releases' });
  await expect(releases.getByRole('row')).toHaveCount(3);
  const said = page.getByRole('status').filter({ hasText: 'for the clinic' });

  await page.getByRole('button', { name: 'Roll out 1.0.0 to 100 %' }).click();
  await expect(said).toHaveText('1.0.0 is offered to 100 % for the clinic.');
  await expect(page.getByText('1.0.0 is offered to every workstation.')).toBeVisible();
  await page.getByRole('button', { name: 'Roll out 1.1.0 to 10 %' }).click();
  await expect(page.getByText('1.1.0 is being rolled out to 10 % of workstations; the others stay on 1.0.0.')).toBeVisible();
  await page.getByRole('button', { name: 'Roll out 1.1.0 to 50 %' }).click();
  await expect(page.getByText('1.1.0 is being rolled out to 50 % of workstations; the others stay on 1.0.0.')).toBeVisible();
  await expect(releases.getByRole('row', { name: /^1\.1\.0 50 %/ })).toBeVisible();
  // Every action of a release row fits on a clinic screen.
  const rollback = await page.getByRole('button', { name: 'Roll back to 1.0.0' }).boundingBox();
  expect((rollback?.x ?? 9999) + (rollback?.width ?? 0)).toBeLessThanOrEqual(1366);
  await page.getByRole('button', { name: 'Halt the rollout' }).click();
  await expect(page.getByText('Halted: 1.1.0 reaches no more workstations; the others stay on 1.0.0.')).toBeVisible();
  await page.screenshot({ path: `${shots}/updates-halted.png` });

  // The front desk gets a group of its own: pinned, then rolled back.
  await page.getByRole('textbox', { name: 'Group of Front desk' }).fill('front desk');
  await page.getByRole('form', { name: 'Group of Front desk' }).getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'follows' })).toHaveText('Front desk follows the front desk group.');
  await page.getByRole('combobox', { name: 'Policy for' }).click();
  await page.getByRole('option', { name: 'Group: front desk' }).click();
  await expect(page.getByText('This group follows the clinic’s policy until it is given its own.', { exact: false })).toBeVisible();
  await page.getByRole('button', { name: 'Pin 1.1.0' }).click();
  await expect(page.getByText('Pinned: every workstation stays on 1.1.0.')).toBeVisible();
  await page.getByRole('button', { name: 'Roll back to 1.0.0' }).click();
  await expect(page.getByText('Rolled back: every workstation is offered 1.0.0.')).toBeVisible();
  await page.getByLabel('Window from').fill('20:00');
  await page.getByLabel('Window to').fill('06:00');
  await page.getByRole('button', { name: 'Set the window' }).click();
  await expect(page.getByText(/Maintenance window: 20:00–06:00\./)).toBeVisible();
  expect((await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze()).violations.map((v) => v.id)).toEqual([]);
  await page.screenshot({ path: `${shots}/updates-group.png`, fullPage: true });

  // The clinic's policy was not touched by the group's.
  await page.getByRole('combobox', { name: 'Policy for' }).click();
  await page.getByRole('option', { name: 'The whole clinic' }).click();
  await expect(page.getByText('Halted: 1.1.0 reaches no more workstations; the others stay on 1.0.0.')).toBeVisible();

  const audit = await pageCall<{ action: string; detail: string | null }[]>(page, 'audit.query', { limit: 200 });
  const changes = audit.value.filter((e) => e.action.startsWith('updates.')).map((e) => `${e.action} ${e.detail ?? ''}`).sort();
  expect(changes).toEqual([
    'updates.change halt for the clinic',
    'updates.change pin 1.1.0 for front desk',
    'updates.change promote 1.0.0 to 100 % for the clinic',
    'updates.change promote 1.1.0 to 10 % for the clinic',
    'updates.change promote 1.1.0 to 50 % for the clinic',
    'updates.change rollback 1.0.0 for front desk',
    'updates.change window for front desk',
    expect.stringMatching(/^updates\.setGroup workstation [0-9a-f-]{36} to front desk$/),
  ]);

  // The workstation said which version it runs once it synced; it never asks the feed itself.
  await expect(async () => {
    await mainNav(page, 'Updates').click();
    await mainNav(page, 'Workstations').click();
    await expect(page.getByRole('table', { name: 'Workstations' }).getByRole('row', { name: /Front desk/ })).toContainText(/\d+\.\d+\.\d+/, { timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await expect(page.getByRole('table', { name: 'Workstations' }).getByRole('row', { name: /Front desk/ })).toContainText('Never checked');
  expect((await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze()).violations.map((v) => v.id)).toEqual([]);
  await page.screenshot({ path: `${shots}/workstations-versions.png` });
});
