// The patient joins a video visit from Firefox (Debian's Firefox ESR, driven by puppeteer over
// WebDriver BiDi, with Firefox's fake camera and microphone) while the physician's workstation
// runs in Chromium: device check, identity, waiting room, admission, video both ways with frames
// arriving, chat both ways, Firefox's own statistics rated "good", and the end of the visit.
// Safari cannot run here (no WebKit build for this machine); its page is the same standard code.
import { existsSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import puppeteer, { type Browser as Firefox, type Page as FirefoxPage } from 'puppeteer-core';
import { admitWaitingPatient, expectFrames, patientVideo, prepareVisit, type VideoVisit } from '../helpers/e2e-video';

const firefoxPath = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
let visit: VideoVisit | undefined;
test.afterEach(async () => {
  await visit?.stop();
  visit = undefined;
});

const text = (page: FirefoxPage, selector: string) => page.evaluate(`document.querySelector(${JSON.stringify(selector)})?.textContent ?? null`) as Promise<string | null>;
/** Frames the clinic's video has shown, counted by the page's own requestVideoFrameCallback. */
const clinicFrames = (page: FirefoxPage) => page.evaluate(`(() => {
  const v = document.querySelector('video[aria-label="The clinic"]');
  if (!v) return 0;
  if (v.__frames === undefined) { v.__frames = 0; const tick = () => { v.__frames++; v.requestVideoFrameCallback(tick); }; v.requestVideoFrameCallback(tick); }
  return v.__frames;
})()`) as Promise<number>;

test('a patient in Firefox holds the visit with a physician in Chromium', async ({ browser }) => {
  test.skip(!existsSync(firefoxPath), `SKIPPED: no Firefox at ${firefoxPath}; the patient's page was NOT tested in Firefox here.`);
  test.setTimeout(180_000);
  visit = await prepareVisit(browser);
  const firefox: Firefox = await puppeteer.launch({
    browser: 'firefox', executablePath: firefoxPath, headless: true,
    extraPrefsFirefox: { 'media.navigator.streams.fake': true, 'media.navigator.permission.disabled': true },
  });
  visit.onStop.push(() => firefox.close());
  const patient = await firefox.newPage();

  await patient.goto(visit.url);
  await expect.poll(() => text(patient, '[data-testid=connection-check]'), { timeout: 10_000 }).toMatch(/^Connection: ready for the call/);
  await patient.locator('button::-p-text(Turn on camera and microphone)').click();
  await expect.poll(() => text(patient, '[role=status]')).toMatch(/Camera and microphone are on/);
  await patient.locator('#name').fill('Wilhelmina Farfield');
  await patient.locator('#dob').fill('1955-05-05');
  await patient.locator('button::-p-text(Join the waiting room)').click();
  await expect.poll(() => text(patient, 'h1')).toBe('Waiting room');

  await admitWaitingPatient(visit, () => text(patient, '[role=status]'));
  await expect.poll(() => clinicFrames(patient), { timeout: 20_000 }).toBeGreaterThan(0);
  const first = await clinicFrames(patient);
  await expect.poll(() => clinicFrames(patient), { timeout: 10_000 }).toBeGreaterThan(first + 5);
  await expectFrames(patientVideo(visit));

  const { panel } = visit;
  await panel.getByLabel('Message to the patient').fill('Can you hear me?');
  await panel.getByRole('button', { name: 'Send' }).click();
  await expect.poll(() => text(patient, '[role=log]')).toContain('Clinic: Can you hear me?');
  await patient.locator('#chat-text').fill('Yes, clearly.');
  await patient.locator('button::-p-text(Send)').click();
  await expect(panel.getByRole('log', { name: 'Chat messages' })).toContainText('Patient: Yes, clearly.');

  // Firefox's statistics (their own shape: no transport entry) are read and rated like Chromium's.
  await expect.poll(() => text(patient, '[data-testid=connection-quality]'), { timeout: 10_000 }).toMatch(/^Connection good \(round trip \d+ ms/);
  await expect(panel.getByRole('status', { name: 'Connection quality' })).toHaveText(/^Connection good/, { timeout: 10_000 });

  await panel.getByRole('button', { name: 'End call' }).click();
  await expect(panel.getByText(/Call ended\. It lasted/)).toBeVisible();
  await expect.poll(() => text(patient, 'h1')).toBe('The visit has ended');
});
