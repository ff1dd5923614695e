// The front desk gives a patient the link to a video visit: books a video appointment, creates
// the link from the appointment, copies it or shows it as a QR code; the link names no patient,
// the cloud says it is open, and revoking it makes the cloud say so.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { type HostProcess, startHostProcess } from '../helpers/browser-host-process';
import { type CloudProcess, createTenantInDir, startCloudProcess } from '../helpers/cloud-process';
import { bookVideoVisit, registerPatient, setUpConnectedClinic } from '../helpers/e2e-clinic';
import { setPageClock, testClock } from '../helpers/test-clock';

let host: HostProcess | undefined;
let cloud: CloudProcess | undefined;
let cloudDir = '';

test.afterEach(async () => {
  await host?.stop();
  await cloud?.stop();
  await rm(cloudDir, { recursive: true, force: true });
});


test('front desk creates, shares and revokes the link of a video visit', async ({ page }) => {
  cloudDir = await mkdtemp(join(tmpdir(), 'chartroom-cloud-e2e-'));
  // One clinic clock at 10:00 for the cloud, the host and the page: the visit is the same day.
  const clock = testClock();
  const setupCode = await createTenantInDir(cloudDir, 'Maple Street', { clock });
  cloud = await startCloudProcess(cloudDir, 0, { clock });
  host = await startHostProcess(undefined, ['--no-cloud'], { clock });
  await setPageClock(page.context(), clock);
  await setUpConnectedClinic(page, { hostUrl: host.url, cloudUrl: cloud.url, setupCode, roles: ['Physician', 'Front desk'] });
  await registerPatient(page, { family: 'Farfield', given: 'Wilhelmina', dob: '1955-05-05' });
  // A video visit in 20 minutes.
  const at = new Date(clock.now().getTime() + 20 * 60_000);
  const time = await bookVideoVisit(page, 'farfield', at);
  await page.getByRole('button', { name: new RegExp(`^${time} Farfield`) }).click();
  await page.getByRole('button', { name: /^Video link: Farfield/ }).click();
  const dialog = page.getByRole('dialog', { name: /^Video visit link: Farfield/ });
  await dialog.getByRole('button', { name: 'Create visit link' }).click();
  const link = dialog.getByLabel('Visit link', { exact: true });
  await expect(link).toHaveText(new RegExp(`^${cloud.url}/v/[A-Za-z0-9_-]{22}$`));
  const url = (await link.textContent()) ?? '';
  expect(url).not.toMatch(/Farfield|Wilhelmina/);
  await expect(dialog.getByRole('figure', { name: 'Visit link as a QR code' })).toBeVisible();
  expect((await new AxeBuilder({ page }).include('[role=dialog]').withTags(['wcag2a', 'wcag2aa']).analyze()).violations.map((v) => v.id)).toEqual([]);
  const token = url.split('/v/')[1];
  const status = async () => ((await (await fetch(`${cloud!.url}/v1/visit-links/${token}`)).json()) as { value: { state: string; iceServers: { urls: string[]; username?: string }[] } }).value;
  const state = async () => (await status()).state;
  expect(await state()).toBe('open');
  expect((await status()).iceServers).toEqual([]);

  // An admin sets the clinic's TURN relay; the patient's link then carries expiring credentials.
  await dialog.getByRole('button', { name: 'Close' }).click();
  await page.getByRole('dialog', { name: new RegExp(`^${time} · Farfield`) }).getByRole('button', { name: 'Close' }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByLabel('TURN servers').fill('turn:turn.maple.example:3478?transport=udp');
  await page.getByLabel('TURN shared secret').fill('coturn-static-auth-secret');
  await page.getByRole('button', { name: 'Save connection servers' }).click();
  await expect(page.getByText('Saved at the clinic cloud.')).toBeVisible();
  await expect(page.getByText('A secret is set. Leave empty to keep it, or enter a new one.')).toBeVisible();
  await expect(page.getByLabel('TURN shared secret')).toHaveValue('');
  const turn = (await status()).iceServers[0];
  expect(turn?.urls).toEqual(['turn:turn.maple.example:3478?transport=udp']);
  expect(turn?.username).toMatch(/^\d+:[0-9a-f-]{36}$/);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Schedule', exact: true }).click();
  await page.getByRole('button', { name: new RegExp(`^${time} Farfield`) }).click();
  await page.getByRole('button', { name: /^Video link: Farfield/ }).click();

  await dialog.getByRole('button', { name: 'Revoke link' }).click();
  await expect(dialog.getByText('The previous link was revoked.')).toBeVisible();
  expect(await state()).toBe('revoked');
  await expect(dialog.getByRole('button', { name: 'Create visit link' })).toBeVisible();
});
