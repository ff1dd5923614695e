// A whole video visit in Chromium with fake cameras and microphones: the front desk creates the
// link; the patient opens it in another browser, checks camera and microphone, confirms who they
// are and waits; the physician sees them waiting with a matching identity, admits them, and both
// pages show the other's video with frames arriving; chat goes both ways; the patient's browser
// drops out and comes back without a new admission; the clinic cloud goes away for a few seconds
// and the call carries on; the physician writes the note during the call; ending the call
// records its duration on the encounter.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Locator, test } from '@playwright/test';
import { type HostProcess, startHostProcess } from '../helpers/browser-host-process';
import { type CloudProcess, createTenantInDir, startCloudProcess } from '../helpers/cloud-process';
import { bookVideoVisit, mainNav, registerPatient, setUpConnectedClinic } from '../helpers/e2e-clinic';

let host: HostProcess | undefined;
let cloud: CloudProcess | undefined;
let cloudDir = '';
test.afterEach(async () => {
  await host?.stop();
  await cloud?.stop();
  await rm(cloudDir, { recursive: true, force: true });
});


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

  await setUpConnectedClinic(clinic, { hostUrl: host.url, cloudUrl: cloud.url, setupCode, roles: ['Physician', 'Front desk'] });
  await registerPatient(clinic, { family: 'Farfield', given: 'Wilhelmina Rose', dob: '1955-05-05' });

  // The front desk books the video visit in ten minutes, or at 23:40 late in the evening (a visit
  // must end the same day; its link stays open until 30 minutes after the end either way), and
  // creates its link.
  const now = new Date();
  const lastStart = new Date(now.getFullYear(), now.getMonth(), now.getDate(), 23, 40);
  const time = await bookVideoVisit(clinic, 'farfield', new Date(Math.min(now.getTime() + 10 * 60_000, lastStart.getTime())));
  const nav = (name: string) => mainNav(clinic, name);
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

  // The clinic cloud goes away for a few seconds: signalling drops on both sides and both say they
  // are reconnecting, while the call itself (peer to peer) goes on; when it is back, chat works.
  const port = cloud.port;
  await cloud.stop();
  await expect(patientPage.getByRole('status')).toHaveText('Connection lost. Reconnecting…', { timeout: 10_000 });
  await expect(panel.getByText('The connection to the clinic cloud dropped; reconnecting.')).toBeVisible({ timeout: 10_000 });
  await expectFrames(panel.getByLabel('Patient video'));
  await expectFrames(patientPage.getByLabel('The clinic', { exact: true }));
  cloud = await startCloudProcess(cloudDir, port);
  await expect(patientPage.getByRole('status')).toHaveText('Reconnected.', { timeout: 20_000 });
  await expect(panel.getByText('Connected to the clinic cloud.')).toBeVisible({ timeout: 20_000 });
  await expect(panel.getByText('Video connected')).toBeVisible();
  await panel.getByLabel('Message to the patient').fill('Still with me?');
  await panel.getByRole('button', { name: 'Send' }).click();
  await expect(patientPage.getByRole('log', { name: 'Chat messages' })).toContainText('Clinic: Still with me?');

  // The note is written during the call.
  await clinic.getByLabel('Subjective').fill('Video visit: feels well, BP log reviewed on screen.');
  await expect(clinic.getByText(/Draft saved at/)).toBeVisible();

  await panel.getByRole('button', { name: 'End call' }).click();
  await expect(panel.getByText(/Call ended\. It lasted \d+ min \d+ s; recorded on the encounter\./)).toBeVisible();
  await expect(clinic.getByText(/^Video call \d\d:\d\d–\d\d:\d\d, \d+ min$/)).toBeVisible();
  await expect(patientPage.getByRole('heading', { name: 'The visit has ended' })).toBeVisible();
});
