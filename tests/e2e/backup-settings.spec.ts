// The daily offline backup, set up by an admin under Settings at 1366×768 (issue 12, point 6): a
// folder that is not there is refused in words; a real one is kept; "Back up now" writes a file
// there, and the page says when the last backup was made and when the next is due.
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { type HostProcess, startHostProcess } from '../helpers/browser-host-process';
import { mainNav, setUpClinic } from '../helpers/e2e-clinic';

const shots = 'test-results/backup-settings';
let host: HostProcess | undefined;
let folder = '';

test.afterEach(async () => {
  await host?.stop();
  await rm(folder, { recursive: true, force: true });
});

test('an admin chooses the backup folder and backs up now', async ({ page }) => {
  await mkdir(shots, { recursive: true });
  folder = await mkdtemp(join(tmpdir(), 'chartroom-usb-'));
  host = await startHostProcess();
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await setUpClinic(page, { hostUrl: host.url, roles: ['Front desk'] });
  await mainNav(page, 'Settings').click();
  const form = page.getByRole('form', { name: 'Offline backups (this workstation)' });
  await expect(form.getByRole('status').first()).toHaveText(/No backup has been made on this workstation yet\./);
  await expect(form.getByRole('button', { name: 'Back up now' })).toBeDisabled();

  await form.getByLabel('Backup folder').fill(join(folder, 'not-there'));
  await form.getByRole('button', { name: 'Save folder' }).click();
  await expect(form.getByRole('alert')).toContainText('There is no folder at that path on this workstation.');

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
});
