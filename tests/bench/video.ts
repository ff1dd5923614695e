// Video visit benchmark, in Chromium with fake cameras: the time from the physician's *Admit
// patient* to the first frame of the patient's video on the physician's screen, over 10 calls
// through the whole product (browser host, engine, tenant service, patient page); side by side
// with the same two browsers connected directly (an RTCPeerConnection pair signalled in-process),
// which is what WebRTC itself costs on loopback.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { chromiumPath } from '../../playwright.config';
import { startHostProcess } from '../helpers/browser-host-process';
import { createTenantInDir, startCloudProcess } from '../helpers/cloud-process';
import { percentile } from './stats';
import { setPageClock, testClock } from '../helpers/test-clock';

const CALLS = 10;
const args = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];
const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Milliseconds until the video element has decoded a frame, measured in the page from
 * `window.startedAt`. In-page code is text: this file is type-checked as Node code, without DOM.
 */
const firstFrame = (page: Page, selector: string) =>
  page.waitForFunction(`(() => {
    const v = document.querySelector(${JSON.stringify(selector)});
    return v && v.getVideoPlaybackQuality().totalVideoFrames > 0 ? performance.now() - window.startedAt : false;
  })()`, undefined, { polling: 'raf', timeout: 30_000 }).then((h) => h.jsonValue() as Promise<number>);

const directCall = `(async () => {
  for (const pc of window.pcs ?? []) pc.close();
  const remote = document.getElementById('remote');
  remote.srcObject = null;
  const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
  window.startedAt = performance.now();
  const a = new RTCPeerConnection();
  const b = new RTCPeerConnection();
  window.pcs = [a, b];
  a.onicecandidate = (e) => { if (e.candidate) b.addIceCandidate(e.candidate); };
  b.onicecandidate = (e) => { if (e.candidate) a.addIceCandidate(e.candidate); };
  b.ontrack = (e) => { remote.srcObject = e.streams[0] ?? null; };
  for (const t of stream.getTracks()) a.addTrack(t, stream);
  await a.setLocalDescription(await a.createOffer());
  await b.setRemoteDescription(a.localDescription);
  await b.setLocalDescription(await b.createAnswer());
  await a.setRemoteDescription(b.localDescription);
})()`;

async function baseline(): Promise<number[]> {
  const browser = await chromium.launch({ executablePath: chromiumPath, args });
  const page = await (await browser.newContext()).newPage();
  // Camera access needs a secure context: a page from 127.0.0.1 is one, about:blank is not.
  const server = createServer((_req, res) => res.end('<!doctype html><video id="remote" autoplay playsinline muted></video>'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  const times: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    await page.evaluate(directCall);
    times.push(await firstFrame(page, '#remote'));
  }
  await browser.close();
  server.close();
  return times;
}

async function throughChartroom(): Promise<number[]> {
  const cloudDir = await mkdtemp(join(tmpdir(), 'chartroom-bench-cloud-'));
  // The host, the cloud and the clinic's page on one clinic clock (10:00): every visit is the same day, whatever the hour.
  const clock = testClock();
  const setupCode = await createTenantInDir(cloudDir, 'Bench Clinic', { clock });
  const cloud = await startCloudProcess(cloudDir, 0, { clock });
  const host = await startHostProcess(undefined, ['--no-cloud'], { clock });
  const api = async <T>(name: string, input: unknown): Promise<T> => {
    const r = await fetch(`${host.origin}/api/call/${name}`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-chartroom-token': new URL(host.url).hash.split('=')[1] as string, origin: host.origin }, body: JSON.stringify(input),
    });
    const body = (await r.json()) as { ok: boolean; value: T; error?: { code: string } };
    if (!body.ok) throw new Error(`${name}: ${body.error?.code}`);
    return body.value;
  };
  const browser = await chromium.launch({ executablePath: chromiumPath, args });
  try {
    await api('setup.initialize', { clinicName: 'Bench Clinic', admin: { username: 'ada', displayName: 'Ada Admin', roles: ['admin', 'physician', 'front-desk'], password: 'bench-clinic-password-1' } });
    await api('sync.enroll', { cloudUrl: cloud.url, code: setupCode, deviceName: 'Bench' });
    const reg = await api<{ patient: { id: string } }>('patients.register', { fields: { familyName: 'Benchley', givenNames: 'Vera', preferredName: '', dateOfBirth: '1970-07-07', sexAtBirth: 'female', genderIdentity: '', phone: '', email: '', addressLine1: '', addressLine2: '', city: '', region: '', postalCode: '', country: '', emergencyName: '', emergencyRelationship: '', emergencyPhone: '', insurancePayer: '', insuranceMemberId: '', insuranceGroup: '' } });
    const me = (await api<{ user: { id: string } }>('session.current', {})).user.id;
    const video = (await api<{ id: string; mode: string }[]>('schedule.types', {})).find((t) => t.mode === 'video')!;
    // The measuring script runs as text inside the app's page, which its CSP would refuse.
    const clinicContext = await browser.newContext({ bypassCSP: true });
    await setPageClock(clinicContext, clock);
    const clinic = await clinicContext.newPage();
    await clinic.goto(host.url);
    const times: number[] = [];
    for (let i = 0; i < CALLS; i++) {
      // Each call its own appointment, a minute apart from now, so every link is open.
      const at = new Date(clock.now().getTime() + (i + 1) * 60_000);
      const start = `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
      const booked = await api<{ appointment: { id: string } }>('appointments.book', { patientId: reg.patient.id, providerId: me, typeId: video.id, start, confirmWarnings: true });
      const appointmentId = booked.appointment.id;
      const link = await api<{ url: string }>('visits.createLink', { appointmentId });
      await api('encounters.open', { patientId: reg.patient.id, appointmentId });
      await api('appointments.checkIn', { appointmentId });
      await api('appointments.room', { appointmentId });
      const patient = await (await browser.newContext()).newPage();
      await patient.goto(link.url);
      await patient.getByRole('button', { name: 'Turn on camera and microphone' }).click();
      await patient.getByLabel('Your full name').fill('Vera Benchley');
      await patient.getByLabel('Your date of birth').fill('1970-07-07');
      await patient.getByRole('button', { name: 'Join the waiting room' }).click();
      await clinic.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Today', exact: true }).click();
      await clinic.getByRole('row', { name: new RegExp(`^${start.slice(11)} Benchley`) }).getByRole('button', { name: /^Visit note/ }).click();
      const panel = clinic.getByRole('region', { name: 'Video visit' });
      await panel.getByText('The patient is in the waiting room.').waitFor();
      await clinic.evaluate('window.startedAt = performance.now()');
      await panel.getByRole('button', { name: 'Admit patient' }).click();
      times.push(await firstFrame(clinic, '[data-testid=patient-video]'));
      await panel.getByRole('button', { name: 'End call' }).click();
      await panel.getByText(/Call ended/).waitFor();
      await patient.context().close();
    }
    return times;
  } finally {
    await browser.close();
    await host.stop();
    await cloud.stop();
    await rm(cloudDir, { recursive: true, force: true });
  }
}

export async function benchVideo(): Promise<void> {
  const direct = await baseline();
  const product = await throughChartroom();
  const median = (xs: number[]) => percentile(xs, 50);
  console.log('\n### Video visit: admit to the first remote video frame (Chromium, fake camera, loopback)\n');
  console.log('| measure | calls | median (ms) | p95 (ms) | ratio |');
  console.log('|---|---:|---:|---:|---:|');
  console.log(`| baseline: two peer connections in one page, signalled directly | ${direct.length} | ${median(direct).toFixed(0)} | ${percentile(direct, 95).toFixed(0)} | 1.00 |`);
  console.log(`| Chartroom: *Admit patient* → engine → tenant service → patient page → first frame on the physician's screen | ${product.length} | ${median(product).toFixed(0)} | ${percentile(product, 95).toFixed(0)} | ${(median(product) / median(direct)).toFixed(2)} |`);
}
