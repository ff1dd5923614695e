// The daily offline backup, set up by an admin under Settings at 1366×768 (issue 12, points 6
// and 7): a folder that is not there is refused in words; a real one is kept; "Back up now"
// writes a file there, and the page says when the last backup was made and when the next is
// due; on the Security page, with no drill yet it warns, and a restore drill with the recovery
// code restores that backup, and the page says so.
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { type HostProcess, startHostProcess } from '../helpers/browser-host-process';
import { e2ePassword, mainNav } from '../helpers/e2e-clinic';

const shots = 'test-results/backup-settings';
let host: HostProcess | undefined;
let folder = '';

test.afterEach(async () => {
  await host?.stop();
  await rm(folder, { recursive: true, force: true });
});

test('an admin chooses the backup folder, backs up now, and runs restore drills from the backup and from the cloud', async ({ page }) => {
  test.setTimeout(90_000);
  await mkdir(shots, { recursive: true });
  folder = await mkdtemp(join(tmpdir(), 'chartroom-usb-'));
  host = await startHostProcess();
  await page.emulateMedia({ reducedMotion: 'reduce' });
  // Set up as a person would, writing down the recovery code the drill will need.
  await page.goto(host.url);
  await page.getByLabel('Clinic name').fill('Maple Street');
  await page.getByLabel('Your full name').fill('Ada Admin');
  await page.getByLabel('Username').fill('ada');
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(e2ePassword);
  await page.getByLabel('Confirm password').fill(e2ePassword);
  await page.getByRole('button', { name: 'Create clinic' }).click();
  const recoveryCode = ((await page.getByLabel('Recovery code', { exact: true }).first().textContent()) ?? '').trim();
  expect(recoveryCode).toMatch(/^[0-9A-Z]{8}(-[0-9A-Z]{8})+$/);
  await page.getByRole('button', { name: 'I have stored the recovery code' }).click();
  await mainNav(page, 'Settings').click();
  const form = page.getByRole('form', { name: 'Offline backups (this workstation)' });
  await expect(form.getByRole('status').first()).toHaveText(/No backup has been made on this workstation yet\./);
  await expect(form.getByRole('button', { name: 'Back up now' })).toBeDisabled();

  await form.getByLabel('Backup folder').fill(join(folder, 'not-there'));
  await form.getByRole('button', { name: 'Save folder' }).click();
  await expect(form.getByRole('alert').filter({ hasText: 'That did not work' })).toContainText('There is no folder at that path on this workstation.');

  await form.getByLabel('Backup folder').fill(folder);
  await form.getByRole('button', { name: 'Save folder' }).click();
  await expect(form.getByText('Saved. A backup is made here every day while someone is signed in.')).toBeVisible();
  await form.getByRole('button', { name: 'Back up now' }).click();
  await expect(form.getByText(/^Backup written and read back: .*\.chartroom-backup\.$/)).toBeVisible({ timeout: 15_000 });
  await expect(form.getByRole('status').first()).toHaveText(/^Last backup .*chartroom-maple-street-.*\.chartroom-backup\. Next one due /);
  expect((await readdir(folder)).filter((f) => f.endsWith('.chartroom-backup'))).toHaveLength(1);
  await form.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}/backup-settings.png` });
  expect((await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()).violations).toEqual([]);

  // A restore drill from that backup, on the Security page, with the recovery code; then one
  // from the clinic's cloud (the embedded one this workstation was set up with).
  await mainNav(page, 'Security').click();
  const drills = page.getByRole('region', { name: 'Restore drills' });
  await expect(drills.getByRole('alert')).toContainText('No restore drill has passed in the last 30 days');
  await expect(drills.getByRole('status')).toHaveText(/From the cloud: never run\.From the newest backup: never run\./);
  await drills.getByLabel('Recovery code').fill(recoveryCode);
  await drills.getByRole('button', { name: 'Drill from the newest backup' }).click();
  await expect(drills.getByText(/^From the newest backup: .*, passed in [\d.]+ s\. Restored 0 patients and \d+ audit rows; integrity, audit chains and every table's count and hash checked\.$/)).toBeVisible({ timeout: 30_000 });
  await expect(drills.getByRole('alert')).toHaveCount(0);
  await drills.getByLabel('Recovery code').fill(recoveryCode);
  await drills.getByRole('button', { name: 'Drill from the cloud' }).click();
  await expect(drills.getByText(/^From the cloud: .*, passed in [\d.]+ s\. Restored 0 patients and \d+ audit rows from the cloud as of place \d+ in its history; .* It equals the record on this workstation\./)).toBeVisible({ timeout: 30_000 });
  const rpo = page.getByRole('region', { name: 'Changes the cloud does not have yet' });
  await expect(rpo.getByRole('status')).toHaveText(/^Every workstation had sent all its changes when it last reached the cloud\./);
  await expect(rpo.getByRole('row', { name: /\(this one\) Now None —/ })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Offline backup (this workstation)' }).getByRole('status')).toHaveText(/^Last backup .* ago: .*chartroom-maple-street-.*\.chartroom-backup\.$/);
  await page.screenshot({ path: `${shots}/security-backup-drill.png` });
  expect((await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()).violations).toEqual([]);
});
