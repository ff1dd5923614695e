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

const password = 'maple-street-admin-2026';
let host: HostProcess | undefined;
let cloud: CloudProcess | undefined;
let cloudDir = '';

test.afterEach(async () => {
  await host?.stop();
  await cloud?.stop();
  await rm(cloudDir, { recursive: true, force: true });
});

const pad = (n: number) => String(n).padStart(2, '0');

test('front desk creates, shares and revokes the link of a video visit', async ({ page }) => {
  cloudDir = await mkdtemp(join(tmpdir(), 'chartroom-cloud-e2e-'));
  const setupCode = await createTenantInDir(cloudDir, 'Maple Street');
  cloud = await startCloudProcess(cloudDir);
  host = await startHostProcess(undefined, ['--no-cloud']);
  await page.goto(host.url);
  await page.getByLabel('Clinic name').fill('Maple Street');
  await page.getByLabel('Your full name').fill('Ada Admin');
  await page.getByLabel('Username').fill('ada');
  for (const role of ['Physician', 'Front desk']) await page.getByRole('checkbox', { name: role }).check();
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
  await page.getByLabel('Confirm password').fill(password);
  await page.getByRole('button', { name: 'Create clinic' }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Workstations', exact: true }).click();
  const connect = page.getByRole('form', { name: 'Connect this workstation' });
  await connect.getByLabel('Cloud address').fill(cloud.url);
  await connect.getByLabel('Code').fill(setupCode);
  await connect.getByLabel('Name of this workstation').fill('Front desk');
  await connect.getByRole('button', { name: 'Connect' }).click();
  await page.getByRole('button', { name: 'I have stored the recovery code' }).click();

  await page.getByRole('button', { name: 'Patients' }).click();
  await page.getByRole('button', { name: 'Register patient' }).click();
  await page.getByLabel('Family name').fill('Farfield');
  await page.getByLabel('Given names').fill('Wilhelmina');
  await page.getByLabel('Date of birth').fill('1955-05-05');
  await page.getByRole('button', { name: 'Register patient' }).click();
  await expect(page.getByRole('region', { name: 'Patient header' })).toContainText('Farfield');

  // A video visit in 20 minutes (confirming if that is outside clinic hours).
  const at = new Date(Date.now() + 20 * 60_000);
  const day = `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
  const time = `${pad(at.getHours())}:${pad(at.getMinutes())}`;
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Schedule', exact: true }).click();
  await page.getByRole('button', { name: 'Book appointment' }).click();
  const book = page.getByRole('dialog', { name: 'Book an appointment' });
  await book.getByRole('combobox', { name: 'Patient' }).fill('farfield');
  await page.getByRole('option', { name: /Farfield/ }).click();
  await book.getByLabel('Appointment type').selectOption({ label: 'Video visit (20 min, video)' });
  await book.getByLabel('Date').fill(day);
  await book.getByLabel('Time').fill(time);
  await book.getByRole('button', { name: 'Book', exact: true }).click();
  const anyway = book.getByRole('button', { name: 'Book anyway' });
  // Outside clinic hours (an early or late test run) the booking asks for a confirmation first.
  await Promise.race([book.waitFor({ state: 'hidden' }), anyway.waitFor({ state: 'visible' })]);
  if (await anyway.isVisible()) await anyway.click();
  await expect(book).toBeHidden();
  // Just before midnight the visit falls on tomorrow: the schedule shows that day.
  if (at.getDate() !== new Date().getDate()) await page.getByRole('button', { name: 'Next day' }).click();
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
  const state = async () => ((await (await fetch(`${cloud!.url}/v1/visit-links/${token}`)).json()) as { value: { state: string } }).value.state;
  expect(await state()).toBe('open');

  await dialog.getByRole('button', { name: 'Revoke link' }).click();
  await expect(dialog.getByText('The previous link was revoked.')).toBeVisible();
  expect(await state()).toBe('revoked');
  await expect(dialog.getByRole('button', { name: 'Create visit link' })).toBeVisible();
});
