// A video visit brought to the point where the call runs, as the video specs all need it: its own
// tenant service and browser host, the front desk creates the link (prepareVisit), the patient
// opens it in another browser, checks camera and microphone, confirms who they are and waits;
// the queue shows them waiting; the physician opens the visit note, sees the identity match,
// admits them (admitWaitingPatient), and both sides show the other's video with frames arriving.
//
// `watchNetwork` adds, to both pages, a record of their peer connections and sockets and a
// switch that makes new sockets fail: how a spec cuts the network between the two pages.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, expect, type Locator, type Page } from '@playwright/test';
import { type HostProcess, startHostProcess } from './browser-host-process';
import { type CloudProcess, createTenantInDir, startCloudProcess } from './cloud-process';
import { bookVideoVisit, mainNav, registerPatient, setUpConnectedClinic } from './e2e-clinic';
import { setPageClock, testClock, type TestClock } from './test-clock';

/** A clinic with a video visit booked and its link created, before any patient joins. */
export interface VideoVisit {
  readonly clinic: Page;
  /** The call panel beside the visit note. */
  readonly panel: Locator;
  /** The visit's row in today's queue. */
  row: Locator;
  /** The link the front desk gives the patient. */
  url: string;
  readonly cloudDir: string;
  cloud: CloudProcess;
  /** The clinic's clock (cloud, host and clinic page): 10:00 on a quiet day, whatever the real hour. */
  readonly clock: TestClock;
  readonly host: HostProcess;
  /** Runs before the rest of `stop` (another browser to close). */
  readonly onStop: (() => Promise<void>)[];
  stop(): Promise<void>;
}

/** The visit with a Chromium patient page in the call. */
export interface VideoCall extends VideoVisit {
  readonly patient: Page;
}

/** What `watchNetwork` leaves on each page (read through `page.evaluate`). */
export interface NetworkWatch {
  offline: boolean;
  pcs: { close(): void; connectionState: string; getSenders(): { track: { kind: string; label: string } | null }[] }[];
  sockets: { close(): void }[];
}

// Runs in the page before its own scripts. Sockets opened while "offline" go to a path the
// service does not know (same origin, so the page's CSP allows it), so they fail at once.
const watchNetwork = `(() => {
  const pcs = []; const sockets = [];
  window.__net = { offline: false, pcs, sockets };
  const PC = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends PC { constructor(...a) { super(...a); pcs.push(this); } };
  const WS = window.WebSocket;
  window.WebSocket = class extends WS {
    constructor(url, ...rest) { super(window.__net.offline ? new URL('/offline-no-socket', location.href).href.replace(/^http/, 'ws') : url, ...rest); sockets.push(this); }
  };
})()`;

/** Decoded frames of a video element, twice, a moment apart: they must grow (not a frozen picture). */
export async function expectFrames(video: Locator) {
  const frames = () => video.evaluate((v) => (v as unknown as { getVideoPlaybackQuality(): { totalVideoFrames: number } }).getVideoPlaybackQuality().totalVideoFrames);
  await expect.poll(frames, { timeout: 20_000 }).toBeGreaterThan(0);
  const first = await frames();
  await expect.poll(frames, { timeout: 10_000 }).toBeGreaterThan(first + 5);
}

export const patientVideo = (call: VideoVisit) => call.panel.getByLabel('Patient video');
export const clinicVideo = (call: VideoCall) => call.patient.getByLabel('The clinic', { exact: true });

/** The patient opens the link (or opens it again), checks camera and microphone and says who they are. */
export async function patientJoins(patient: Page, url: string) {
  await patient.goto(url);
  await patient.getByRole('button', { name: 'Turn on camera and microphone' }).click();
  await expect(patient.getByRole('status')).toHaveText(/Camera and microphone are on/);
  await patient.getByLabel('Your full name').fill('Wilhelmina Farfield');
  await patient.getByLabel('Your date of birth').fill('1955-05-05');
  await patient.getByRole('button', { name: 'Join the waiting room' }).click();
}

/** A new tenant and workstation; the front desk books a video visit and creates its link. */
export async function prepareVisit(browser: Browser, opts: { watchNetwork?: boolean } = {}): Promise<VideoVisit> {
  const cloudDir = await mkdtemp(join(tmpdir(), 'chartroom-cloud-e2e-'));
  const clock = testClock();
  const setupCode = await createTenantInDir(cloudDir, 'Maple Street', { clock });
  const cloud = await startCloudProcess(cloudDir, 0, { clock });
  const host = await startHostProcess(undefined, ['--no-cloud'], { clock });
  // A clinic screen: the note, the call and its controls must all fit it at once.
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  await setPageClock(context, clock);
  const clinic = await context.newPage();
  if (opts.watchNetwork) await clinic.addInitScript(watchNetwork);
  const visit: VideoVisit = {
    clinic, cloudDir, cloud, clock, host, url: '', onStop: [],
    panel: clinic.getByRole('region', { name: 'Video visit' }),
    row: clinic.getByRole('row'),
    async stop() {
      for (const f of visit.onStop) await f();
      await clinic.context().close();
      await host.stop();
      await visit.cloud.stop();
      await rm(cloudDir, { recursive: true, force: true });
    },
  };
  try {
    await setUpConnectedClinic(clinic, { hostUrl: host.url, cloudUrl: cloud.url, setupCode, roles: ['Physician', 'Front desk'] });
    await registerPatient(clinic, { family: 'Farfield', given: 'Wilhelmina Rose', dob: '1955-05-05' });
    // The video visit in ten minutes (its link is open from 30 minutes before).
    const time = await bookVideoVisit(clinic, 'farfield', new Date(clock.now().getTime() + 10 * 60_000));
    await mainNav(clinic, 'Today').click();
    visit.row = clinic.getByRole('row', { name: new RegExp(`${time} Farfield`) });
    await visit.row.getByRole('button', { name: /^Video link/ }).click();
    const linkDialog = clinic.getByRole('dialog', { name: /^Video visit link/ });
    await linkDialog.getByRole('button', { name: 'Create visit link' }).click();
    visit.url = (await linkDialog.getByLabel('Visit link', { exact: true }).textContent()) ?? '';
    // This test's cloud listens on 127.0.0.1: the dialog says no patient elsewhere could open the link.
    await expect(linkDialog.getByRole('alert')).toContainText('No patient outside this computer can open this link');
    await expect(linkDialog.getByRole('alert')).toContainText('Settings → Video visit links');
    await linkDialog.getByRole('button', { name: 'Close' }).click();
  } catch (e) {
    await visit.stop();
    throw e;
  }
  return visit;
}

/**
 * With the patient in the waiting room: the queue shows them waiting; the physician, alone (no
 * one checked the patient in), starts the video visit from Today, sees the identity match beside
 * the note and admits them; the patient's video plays beside the note.
 */
export async function admitWaitingPatient(visit: VideoVisit, patientStatus: () => Promise<string | null>) {
  const { row, panel } = visit;
  await expect(row.getByText('Patient waiting')).toBeVisible({ timeout: 10_000 });
  await expect(row).toContainText('Scheduled');
  await row.getByRole('button', { name: /^Start video visit/ }).click();
  await expect(panel.getByText('The patient is in the waiting room.')).toBeVisible({ timeout: 15_000 });
  await expect(panel.getByText('Identity matches the appointment')).toBeVisible();
  await expect.poll(patientStatus).toMatch(/The clinic is online/);
  await panel.getByRole('button', { name: 'Admit patient' }).click();
  await expectFrames(panel.getByLabel('Patient video'));
  await expect(panel.getByText('Video connected')).toBeVisible();
}

/** The whole way to a running call with the patient in a second Chromium context. */
export async function startVideoCall(browser: Browser, opts: { watchNetwork?: boolean } = {}): Promise<VideoCall> {
  const visit = await prepareVisit(browser, opts);
  try {
    const patient = await (await browser.newContext()).newPage();
    visit.onStop.push(() => patient.context().close());
    if (opts.watchNetwork) await patient.addInitScript(watchNetwork);
    await patientJoins(patient, visit.url);
    await expect(patient.getByRole('heading', { name: 'Waiting room' })).toBeVisible();
    await admitWaitingPatient(visit, () => patient.getByRole('status').textContent());
    const call: VideoCall = Object.assign(visit, { patient });
    await expectFrames(clinicVideo(call));
    return call;
  } catch (e) {
    await visit.stop();
    throw e;
  }
}
