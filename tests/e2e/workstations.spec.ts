// A practice admin connects the workstation to the clinic's cloud from the app: the recovery
// code is shown once, the workstation list shows it, a code for the next workstation is issued,
// and the header says the workstation is in sync.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '../helpers/e2e-test';
import { type HostProcess, startHostProcess } from '../helpers/browser-host-process';
import { type CloudProcess, createTenantInDir, startCloudProcess } from '../helpers/cloud-process';

let host: HostProcess;
let cloud: CloudProcess;
let cloudDir: string;
let cloudUrl: string;
let setupCode: string;

test.beforeEach(async () => {
  cloudDir = await mkdtemp(join(tmpdir(), 'chartroom-cloud-e2e-'));
  setupCode = await createTenantInDir(cloudDir, 'Maple Street');
  cloud = await startCloudProcess(cloudDir);
  cloudUrl = cloud.url;
  host = await startHostProcess(undefined, ['--no-cloud']);
});
test.afterEach(async () => {
  await host.stop();
  await cloud.stop();
  await rm(cloudDir, { recursive: true, force: true });
});

test('an admin connects this workstation to the clinic cloud and gets a code for the next one', async ({ page }) => {
  const password = 'maple-street-admin-2026';
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto(host.url);
  await page.getByLabel('Clinic name').fill('Maple Street');
  await page.getByLabel('Your full name').fill('Ada Admin');
  await page.getByLabel('Username').fill('ada');
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
  await page.getByLabel('Confirm password').fill(password);
  await page.getByRole('button', { name: 'Create clinic' }).click();
  await expect(page.getByRole('button', { name: /^Sync: Not connected/ })).toBeVisible();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Workstations', exact: true }).click();
  const connect = page.getByRole('form', { name: 'Connect this workstation' });
  await connect.getByLabel('Cloud address').fill(cloudUrl);
  await connect.getByLabel('Code').fill('WRONG-CODE-0000-0000');
  await connect.getByLabel('Name of this workstation').fill('Front desk');
  await connect.getByRole('button', { name: 'Connect' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'unknown, used or expired' })).toBeVisible();
  await connect.getByLabel('Code').fill(setupCode);
  await connect.getByRole('button', { name: 'Connect' }).click();

  const recovery = page.getByLabel('Recovery code', { exact: true });
  await expect(recovery).toHaveText(/^[0-9A-Z]{8}(-[0-9A-Z]{8}){3}$/);
  expect((await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze()).violations.map((v) => v.id)).toEqual([]);
  // The code can be printed (the printout is the code's sheet alone) and copied.
  await expect(page.getByRole('button', { name: 'Print the recovery code' })).toBeVisible();
  await page.emulateMedia({ media: 'print' });
  await expect(recovery).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Workstations' })).toBeHidden();
  await page.emulateMedia({ media: 'screen' });
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByRole('button', { name: 'Copy the recovery code' }).click();
  expect(await page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText())).toBe(await recovery.textContent());
  await page.getByRole('button', { name: 'I have stored the recovery code' }).click();
  await expect(recovery).toHaveCount(0);

  await expect(page.getByRole('table', { name: 'Workstations' })).toContainText('Front desk');
  await expect(page.getByText('This is workstation 1.')).toBeVisible();
  await page.getByRole('button', { name: 'Code for another workstation' }).click();
  await expect(page.getByLabel('Enrollment code')).toHaveText(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
  await expect(page.getByLabel('Cloud address to join')).toHaveText(/^http:\/\/127\.0\.0\.1:\d+$/);
  await expect(page.getByRole('button', { name: /^Sync: Synced/ })).toBeVisible({ timeout: 10_000 });
});
