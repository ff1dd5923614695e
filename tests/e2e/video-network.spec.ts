// The network between the patient's browser and the physician's workstation fails during a
// video call (Chromium, fake cameras). First only the media connection breaks, with signalling
// still up: the workstation notices and starts a new connection by itself. Then everything
// breaks for a few seconds (signalling socket, media, and no new socket can connect): both sides
// say so plainly, the physician's picture of the patient is cleared rather than frozen, and when
// the network is back the call resumes with video both ways and no new admission.
import { expect, test } from '@playwright/test';
import { clinicVideo, expectFrames, type NetworkWatch, patientVideo, startVideoCall, type VideoCall } from '../helpers/e2e-video';

let call: VideoCall | undefined;
test.afterEach(async () => {
  await call?.stop();
  call = undefined;
});

test('a dropped network shows a clear message on both sides, never a frozen picture, and the call comes back', async ({ browser }) => {
  test.setTimeout(180_000);
  const c = await startVideoCall(browser, { watchNetwork: true });
  call = c;
  const { patient, panel } = c;
  const patientConnections = () => patient.evaluate(() => (globalThis as unknown as { __net: NetworkWatch }).__net.pcs.length);

  // Only the media connection breaks; the workstation starts a new one and the video comes back.
  const before = await patientConnections();
  await patient.evaluate(() => { for (const pc of (globalThis as unknown as { __net: NetworkWatch }).__net.pcs) pc.close(); });
  await expect.poll(patientConnections, { timeout: 15_000 }).toBeGreaterThan(before);
  await expect(panel.getByText('Video connected')).toBeVisible({ timeout: 15_000 });
  await expectFrames(patientVideo(c));
  await expectFrames(clinicVideo(c));

  // Now the whole network, for a few seconds: sockets and media close, new sockets fail.
  await patient.evaluate(() => {
    const n = (globalThis as unknown as { __net: NetworkWatch }).__net;
    n.offline = true;
    for (const pc of n.pcs) pc.close();
    for (const s of n.sockets) s.close();
  });
  await expect(panel.getByText('Patient disconnected: waiting for them to come back')).toBeVisible({ timeout: 10_000 });
  await expect(patient.getByRole('status')).toHaveText('Connection lost. Reconnecting…', { timeout: 10_000 });
  // Neither side is left looking at a frozen picture.
  await expect.poll(() => patientVideo(c).evaluate((v) => (v as unknown as { srcObject: unknown }).srcObject === null)).toBe(true);
  await expect.poll(() => clinicVideo(c).evaluate((v) => (v as unknown as { srcObject: unknown }).srcObject === null)).toBe(true);
  await patient.waitForTimeout(4000);
  await expect(patient.getByRole('status')).toHaveText(/Reconnecting/);
  await expect(panel.getByText('Patient disconnected: waiting for them to come back')).toBeVisible();

  await patient.evaluate(() => { (globalThis as unknown as { __net: NetworkWatch }).__net.offline = false; });
  await expect(panel.getByText('Video connected')).toBeVisible({ timeout: 20_000 });
  await expect(patient.getByRole('status')).toHaveText('Connected.', { timeout: 20_000 });
  await expectFrames(patientVideo(c));
  await expectFrames(clinicVideo(c));
  await expect(panel.getByRole('button', { name: 'Admit patient' })).toHaveCount(0);
});
