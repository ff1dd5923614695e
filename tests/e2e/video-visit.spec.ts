// A whole video visit in Chromium with fake cameras and microphones (tests/helpers/e2e-video
// brings it to the running call: link, device check, identity, waiting room, admission, video
// both ways). Then: chat both ways; both sides rate the connection from measured statistics; the
// physician switches camera and microphone and shares the screen, which the patient sees; the
// patient's browser drops out and comes back without a new admission; the clinic cloud goes away
// for a few seconds and the call carries on; the physician writes the note during the call;
// ending the call records its duration on the encounter.
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { startCloudProcess } from '../helpers/cloud-process';
import { clinicVideo, expectFrames, type NetworkWatch, patientJoins, patientVideo, startVideoCall, type VideoCall } from '../helpers/e2e-video';

let call: VideoCall | undefined;
test.afterEach(async () => {
  await call?.stop();
  call = undefined;
});

test('the physician admits the waiting patient, both see each other, chat, chart during the call, and the duration is recorded', async ({ browser }) => {
  test.setTimeout(240_000);
  const c = await startVideoCall(browser, { watchNetwork: true });
  call = c;
  const { clinic, patient, panel } = c;

  // At 1366×768 the note, the patient's video and the call's controls are all in view at once.
  const inView = async (what: string, locator: typeof panel) => {
    const box = await locator.boundingBox();
    expect(box && box.x >= 0 && box.y >= 0 && box.x + box.width <= 1366 + 0.5 && box.y + box.height <= 768 + 0.5, `${what}: ${JSON.stringify(box)}`).toBe(true);
  };
  await inView('Subjective', clinic.getByLabel('Subjective'));
  await inView('patient video', panel.getByLabel('Patient video'));
  for (const control of ['Mute', 'Camera off', 'Share screen', 'End call']) await inView(control, panel.getByRole('button', { name: control }));
  await inView('chat box', panel.getByLabel('Message to the patient'));
  await inView('patient banner', clinic.getByRole('region', { name: 'Patient banner' }));
  await clinic.screenshot({ path: 'test-results/video-visit-1366x768.png' });

  // The physician's camera off: the patient's page says so instead of a black picture.
  await panel.getByRole('button', { name: 'Camera off' }).click();
  await expect(patient.getByTestId('clinic-camera')).toBeVisible();
  await panel.getByRole('button', { name: 'Camera on' }).click();
  await expect(patient.getByTestId('clinic-camera')).toBeHidden();

  await panel.getByLabel('Message to the patient').fill('Good morning, Mrs Farfield.');
  await panel.getByRole('button', { name: 'Send' }).click();
  await expect(patient.getByRole('log', { name: 'Chat messages' })).toContainText('Clinic: Good morning, Mrs Farfield.');
  await patient.getByLabel('Message', { exact: true }).fill('Good morning, doctor.');
  await patient.getByRole('button', { name: 'Send' }).click();
  await expect(panel.getByRole('log', { name: 'Chat messages' })).toContainText('Patient: Good morning, doctor.');

  // Both sides say how good the connection is, from what they measure: on loopback, good.
  await expect(panel.getByRole('status', { name: 'Connection quality' })).toHaveText(/^Connection good \(round trip \d+ ms · [\d.]+% lost/, { timeout: 10_000 });
  await expect(patient.getByTestId('connection-quality')).toHaveText(/^Connection good \(round trip \d+ ms/, { timeout: 10_000 });
  // Both sides of the call, as they are now, pass axe (labels, contrast, roles).
  const axe = async (page: typeof clinic, include: string) =>
    (await new AxeBuilder({ page }).include(include).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()).violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(await axe(clinic, '[aria-label="Video visit"]')).toEqual([]);
  expect(await axe(patient, 'main')).toEqual([]);

  // The physician switches camera and microphone mid-call: the call sends the chosen ones at
  // once. (Chromium's second fake camera gives frames no encoder takes, so the video is checked
  // after switching back: a freshly opened camera, sent on the same connection, plays.)
  const sending = () => clinic.evaluate(() => (globalThis as unknown as { __net: NetworkWatch }).__net.pcs.at(-1)?.getSenders().map((s) => s.track?.label ?? '').sort());
  expect(await sending()).toEqual(['Fake Default Audio Input', 'fake_device_0']);
  await panel.getByLabel('Camera', { exact: true }).selectOption({ label: 'fake_device_1' });
  await panel.getByLabel('Microphone', { exact: true }).selectOption({ label: 'Fake Audio Input 1' });
  await expect.poll(sending).toEqual(['Fake Audio Input 1', 'fake_device_1']);
  await panel.getByLabel('Camera', { exact: true }).selectOption({ label: 'fake_device_0' });
  await expect.poll(sending).toEqual(['Fake Audio Input 1', 'fake_device_0']);
  await expectFrames(clinicVideo(c));
  await expect(panel.getByRole('status', { name: 'Connection quality' })).toHaveText(/^Connection good/, { timeout: 10_000 });

  // Screen share: the patient sees the fake screen (16:9) instead of the camera (4:3), and the
  // camera again when the physician stops sharing. (The shape, not the size: WebRTC scales the
  // picture down when the machine is busy.)
  const patientSees = () => clinicVideo(c).evaluate((v) => {
    const { videoWidth: w, videoHeight: h } = v as unknown as { videoWidth: number; videoHeight: number };
    return Math.abs(w / h - 16 / 9) < 0.05 ? 'screen' : Math.abs(w / h - 4 / 3) < 0.05 ? 'camera' : `${w}×${h}`;
  });
  expect(await patientSees()).toBe('camera');
  await panel.getByRole('button', { name: 'Share screen' }).click();
  await expect(panel.getByRole('button', { name: 'Stop sharing' })).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(patientSees, { timeout: 10_000 }).toBe('screen');
  await expect(panel.getByLabel('Camera', { exact: true })).toBeDisabled();
  await panel.getByRole('button', { name: 'Stop sharing' }).click();
  await expect.poll(patientSees, { timeout: 10_000 }).toBe('camera');
  await expect.poll(sending).toEqual(['Fake Audio Input 1', 'fake_device_0']);

  // The patient's browser drops out (closed, reloaded): the physician is told, not left with a
  // frozen picture; the patient opens the link again and the call resumes without a new admission.
  await patient.reload();
  await expect(panel.getByText('Patient disconnected: waiting for them to come back')).toBeVisible({ timeout: 10_000 });
  await patientJoins(patient, c.url);
  await expect(patient.getByRole('button', { name: 'Leave the visit' })).toBeVisible();
  await expectFrames(clinicVideo(c));
  await expect(panel.getByText('Video connected')).toBeVisible({ timeout: 15_000 });
  await expectFrames(patientVideo(c));
  // The new connection carries the microphone the physician chose.
  await expect.poll(sending).toEqual(['Fake Audio Input 1', 'fake_device_0']);

  // The clinic cloud goes away for a few seconds: signalling drops on both sides and both say they
  // are reconnecting, while the call itself (peer to peer) goes on; when it is back, chat works.
  const port = c.cloud.port;
  await c.cloud.stop();
  await expect(patient.getByRole('status')).toHaveText('Connection lost. Reconnecting…', { timeout: 10_000 });
  await expect(panel.getByText('The connection to the clinic cloud dropped; reconnecting.')).toBeVisible({ timeout: 10_000 });
  await expectFrames(patientVideo(c));
  await expectFrames(clinicVideo(c));
  c.cloud = await startCloudProcess(c.cloudDir, port, { clock: c.clock });
  await expect(patient.getByRole('status')).toHaveText('Reconnected.', { timeout: 20_000 });
  await expect(panel.getByText('Connected to the clinic cloud.')).toBeVisible({ timeout: 20_000 });
  await expect(panel.getByText('Video connected')).toBeVisible();
  await panel.getByLabel('Message to the patient').fill('Still with me?');
  await panel.getByRole('button', { name: 'Send' }).click();
  await expect(patient.getByRole('log', { name: 'Chat messages' })).toContainText('Clinic: Still with me?');

  // The note is written during the call.
  await clinic.getByLabel('Subjective').fill('Video visit: feels well, BP log reviewed on screen.');
  await expect(clinic.getByText(/Draft saved at/)).toBeVisible();

  await panel.getByRole('button', { name: 'End call' }).click();
  await expect(panel.getByText(/Call ended\. It lasted \d+ min \d+ s; recorded on the encounter\./)).toBeVisible();
  // Ending is not reported as a lost connection.
  await expect(panel.getByText('The call has ended.')).toBeVisible();
  await expect(panel.getByText(/connection to the clinic cloud (closed|dropped)/)).toHaveCount(0);
  await expect(clinic.getByText(/^Video call \d\d:\d\d–\d\d:\d\d, \d+ min$/)).toBeVisible();
  await expect(patient.getByRole('heading', { name: 'The visit has ended' })).toBeVisible();
  await expect(panel.getByText(/connection to the clinic cloud (closed|dropped)/)).toHaveCount(0);

  // The admission recorded the check-in, the rooming and the start of the visit.
  await clinic.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Today', exact: true }).click();
  await expect(c.row).toContainText('With provider');
  await expect(c.row).toContainText(/in \d\d:\d\d · roomed \d\d:\d\d · seen \d\d:\d\d/);
});
