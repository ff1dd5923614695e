// A whole video visit in Chromium with fake cameras and microphones: the front desk creates the
// link; the patient opens it in another browser, checks camera and microphone, confirms who they
// are and waits; the physician sees them waiting with a matching identity, admits them, and both
// pages show the other's video with frames arriving; chat goes both ways; the patient's browser
// drops out and comes back without a new admission; the physician writes the note during the
// call; ending the call records its duration on the encounter.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Locator, test } from '@playwright/test';
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

/** Decoded frames of a video element, twice, a moment apart: they must grow (not a frozen picture). */
async function expectFrames(video: Locator) {
  const frames = () => video.evaluate((v) => (v as unknown as { getVideoPlaybackQuality(): { totalVideoFrames: number } }).getVideoPlaybackQuality().totalVideoFrames);
  await expect.poll(frames, { timeout: 20_000 }).toBeGreaterThan(0);
  const first = await frames();
  await expect.poll(frames, { timeout: 10_000 }).toBeGreaterThan(first + 5);
}

test('the physician admits the waiting patient, both see each other, chat, chart during the call, and the duration is recorded', async ({ browser }) => {
  test.setTimeout(180_000);
  cloudDir = await mkdtemp(join(tmpdir(), 'chartroom-cloud-e2e-'));
  const setupCode = await createTenantInDir(cloudDir, 'Maple Street');
  cloud = await startCloudProcess(cloudDir);
  host = await startHostProcess(undefined, ['--no-cloud']);
  const clinic = await (await browser.newContext()).newPage();
  const patientPage = await (await browser.newContext()).newPage();

  await clinic.goto(host.url);
  await clinic.getByLabel('Clinic name').fill('Maple Street');
  await clinic.getByLabel('Your full name').fill('Ada Admin');
  await clinic.getByLabel('Username').fill('ada');
  for (const role of ['Physician', 'Front desk']) await clinic.getByRole('checkbox', { name: role }).check();
  await clinic.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
  await clinic.getByLabel('Confirm password').fill(password);
  await clinic.getByRole('button', { name: 'Create clinic' }).click();
  const nav = (name: string) => clinic.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true });
  await nav('Workstations').click();
  const connect = clinic.getByRole('form', { name: 'Connect this workstation' });
  await connect.getByLabel('Cloud address').fill(cloud.url);
  await connect.getByLabel('Code').fill(setupCode);
  await connect.getByLabel('Name of this workstation').fill('Front desk');
  await connect.getByRole('button', { name: 'Connect' }).click();
  await clinic.getByRole('button', { name: 'I have stored the recovery code' }).click();

  await nav('Patients').click();
  await clinic.getByRole('button', { name: 'Register patient' }).click();
  await clinic.getByLabel('Family name').fill('Farfield');
  await clinic.getByLabel('Given names').fill('Wilhelmina Rose');
  await clinic.getByLabel('Date of birth').fill('1955-05-05');
  await clinic.getByRole('button', { name: 'Register patient' }).click();
  await expect(clinic.getByRole('region', { name: 'Patient header' })).toContainText('Farfield');

  // The front desk books the video visit in 10 minutes and creates its link.
  // In ten minutes, or at 23:40 late in the evening (a visit must end the same day; its link
  // stays open until 30 minutes after the end either way).
  const now = new Date();
  const lastStart = new Date(now.getFullYear(), now.getMonth(), now.getDate(), 23, 40);
  const at = new Date(Math.min(now.getTime() + 10 * 60_000, lastStart.getTime()));
  const time = `${pad(at.getHours())}:${pad(at.getMinutes())}`;
  await nav('Schedule').click();
  await clinic.getByRole('button', { name: 'Book appointment' }).click();
  const book = clinic.getByRole('dialog', { name: 'Book an appointment' });
  await book.getByRole('combobox', { name: 'Patient' }).fill('farfield');
  await clinic.getByRole('option', { name: /Farfield/ }).click();
  await book.getByLabel('Appointment type').selectOption({ label: 'Video visit (20 min, video)' });
  await book.getByLabel('Date').fill(`${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`);
  await book.getByLabel('Time').fill(time);
  await book.getByRole('button', { name: 'Book', exact: true }).click();
  const anyway = book.getByRole('button', { name: 'Book anyway' });
  // Outside clinic hours (an early or late test run) the booking asks for a confirmation first.
  await Promise.race([book.waitFor({ state: 'hidden' }), anyway.waitFor({ state: 'visible' })]);
  if (await anyway.isVisible()) await anyway.click();
  await expect(book).toBeHidden();
  await nav('Today').click();
  const row = clinic.getByRole('row', { name: new RegExp(`${time} Farfield`) });
  await row.getByRole('button', { name: /^Video link/ }).click();
  const linkDialog = clinic.getByRole('dialog', { name: /^Video visit link/ });
  await linkDialog.getByRole('button', { name: 'Create visit link' }).click();
  const url = (await linkDialog.getByLabel('Visit link', { exact: true }).textContent()) ?? '';
  await linkDialog.getByRole('button', { name: 'Close' }).click();

  // The patient opens the link, checks camera and microphone, says who they are and waits.
  await patientPage.goto(url);
  await patientPage.getByRole('button', { name: 'Turn on camera and microphone' }).click();
  await expect(patientPage.getByRole('status')).toHaveText(/Camera and microphone are on/);
  await patientPage.getByLabel('Your full name').fill('Wilhelmina Farfield');
  await patientPage.getByLabel('Your date of birth').fill('1955-05-05');
  await patientPage.getByRole('button', { name: 'Join the waiting room' }).click();
  await expect(patientPage.getByRole('heading', { name: 'Waiting room' })).toBeVisible();

  // Today's queue shows who is waiting.
  await expect(row.getByText('Patient waiting')).toBeVisible({ timeout: 10_000 });

  // The physician takes the visit through the day's steps and opens the note: the call is beside it.
  for (const step of ['Check in', 'Room', 'Start visit']) await row.getByRole('button', { name: new RegExp(`^${step}`) }).click();
  await row.getByRole('button', { name: /^Visit note/ }).click();
  const panel = clinic.getByRole('region', { name: 'Video visit' });
  await expect(panel.getByText('The patient is in the waiting room.')).toBeVisible({ timeout: 15_000 });
  await expect(panel.getByText('Identity matches the appointment')).toBeVisible();
  await expect(patientPage.getByRole('status')).toHaveText(/The clinic is online/);
  await panel.getByRole('button', { name: 'Admit patient' }).click();

  await expectFrames(panel.getByLabel('Patient video'));
  await expectFrames(patientPage.getByLabel('The clinic', { exact: true }));
  await expect(panel.getByText('Video connected')).toBeVisible();

  await panel.getByLabel('Message to the patient').fill('Good morning, Mrs Farfield.');
  await panel.getByRole('button', { name: 'Send' }).click();
  await expect(patientPage.getByRole('log', { name: 'Chat messages' })).toContainText('Clinic: Good morning, Mrs Farfield.');
  await patientPage.getByLabel('Message', { exact: true }).fill('Good morning, doctor.');
  await patientPage.getByRole('button', { name: 'Send' }).click();
  await expect(panel.getByRole('log', { name: 'Chat messages' })).toContainText('Patient: Good morning, doctor.');

  // The patient's browser drops out (closed, reloaded): the physician is told, not left with a
  // frozen picture; the patient opens the link again and the call resumes without a new admission.
  await patientPage.reload();
  await expect(panel.getByText('Patient disconnected: waiting for them to come back')).toBeVisible({ timeout: 10_000 });
  await patientPage.getByRole('button', { name: 'Turn on camera and microphone' }).click();
  await patientPage.getByLabel('Your full name').fill('Wilhelmina Farfield');
  await patientPage.getByLabel('Your date of birth').fill('1955-05-05');
  await patientPage.getByRole('button', { name: 'Join the waiting room' }).click();
  await expect(patientPage.getByRole('button', { name: 'Leave the visit' })).toBeVisible();
  await expectFrames(patientPage.getByLabel('The clinic', { exact: true }));
  await expect(panel.getByText('Video connected')).toBeVisible({ timeout: 15_000 });
  await expectFrames(panel.getByLabel('Patient video'));

  // The note is written during the call.
  await clinic.getByLabel('Subjective').fill('Video visit: feels well, BP log reviewed on screen.');
  await expect(clinic.getByText(/Draft saved at/)).toBeVisible();

  await panel.getByRole('button', { name: 'End call' }).click();
  await expect(panel.getByText(/Call ended\. It lasted \d+ min \d+ s; recorded on the encounter\./)).toBeVisible();
  await expect(clinic.getByText(/^Video call \d\d:\d\d–\d\d:\d\d, \d+ min$/)).toBeVisible();
  await expect(patientPage.getByRole('heading', { name: 'The visit has ended' })).toBeVisible();
});
