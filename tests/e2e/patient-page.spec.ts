// The patient's side of a video visit in Chromium (fake camera and microphone), with the
// clinic's side played by a workstation-authenticated socket: an expired link gets a clear page;
// a valid one checks camera and microphone, sends the identity answer encrypted (the cloud relays
// ciphertext only), waits, is admitted, and chats (sealed end to end); a second tab with the same link is refused.
import { createDecipheriv, createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync, randomUUID } from 'node:crypto';
import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from '../helpers/e2e-test';
import WebSocket from 'ws';
import { createTenant } from '../../cloud/server';
import { SyncClient } from '../../electron/engine/sync/client';
import { openChat, openIdentity, sealChat } from '../../electron/engine/video/visit-crypto';
import { startTestCloud, type TestCloud } from '../helpers/cloud';
import { setUpClinic, value } from '../helpers/engine';

let cloud: TestCloud;
let cleanup: (() => Promise<void>) | undefined;
test.afterEach(async () => {
  await cleanup?.();
  await cloud?.close();
});

async function clinicWithLink(opts: { from: number; until: number; turnUrls?: string[] }) {
  cloud = await startTestCloud();
  const a = await setUpClinic({ username: 'ada' });
  cleanup = a.cleanup;
  const sync = new SyncClient(a.engine.syncHost);
  value(await sync.enroll(cloud.url, (await createTenant(cloud.store, 'Maple Street')).setupCode, 'Front desk'));
  if (opts.turnUrls) value(await sync.setIceSettings({ stunUrls: [], turnUrls: opts.turnUrls, turnSecret: 'coturn-static-auth-secret' }));
  const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const visitId = randomUUID();
  const validFrom = new Date(Date.now() + opts.from).toISOString();
  const link = value(await sync.createVisit({
    visitId, validFrom, validUntil: new Date(Date.now() + opts.until).toISOString(),
    identityKey: JSON.stringify(pair.publicKey.export({ format: 'jwk' })),
  }));
  const target = value(await (sync as unknown as { stream(): Promise<{ ok: true; value: { url: string; token: string } }> }).stream());
  const id = (await sync.identity())!;
  return { link, visitId, validFrom, privateKey: pair.privateKey, socketUrl: `${cloud.url.replace(/^http/, 'ws')}/v1/tenants/${id.tenantId}/visits/${visitId}/socket`, token: target.token };
}

test('an expired link gets a clear page, never a broken call', async ({ page }) => {
  const { link } = await clinicWithLink({ from: -7200_000, until: -60_000 });
  await page.goto(link.url);
  await expect(page.getByRole('heading', { name: 'This link cannot be used' })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveText('This visit link has expired. Call the clinic for a new one.');
});

test('the connection check says when the clinic’s TURN relay is out of reach', async ({ page }) => {
  // Nothing listens on this port: the browser gets no relay candidate.
  const { link } = await clinicWithLink({ from: -60_000, until: 3600_000, turnUrls: ['turn:127.0.0.1:9?transport=udp'] });
  await page.goto(link.url);
  await expect(page.getByTestId('connection-check')).toHaveText(/^Connection: ready \(the clinic answered in \d+ ms\), though the clinic’s relay is out of reach/, { timeout: 15_000 });
});

test('the patient checks camera and microphone, confirms who they are, waits, is admitted and chats', async ({ page, context }) => {
  const { link, privateKey, socketUrl, token } = await clinicWithLink({ from: -60_000, until: 3600_000 });
  const clinicHeard: Record<string, unknown>[] = [];
  const clinic = new WebSocket(socketUrl, { headers: { authorization: `Bearer ${token}` } });
  clinic.on('message', (m) => clinicHeard.push(JSON.parse(m.toString()) as Record<string, unknown>));
  await new Promise((r) => clinic.once('open', r));

  await page.goto(link.url);
  await expect(page.getByRole('heading', { name: 'Your video visit' })).toBeVisible();
  // The connection check: the clinic answers and the browser can be reached (loopback, no STUN).
  await expect(page.getByTestId('connection-check')).toHaveText(/^Connection: ready for the call \(the clinic answered in \d+ ms\)\.$/);
  await page.getByRole('button', { name: 'Turn on camera and microphone' }).click();
  await expect(page.getByRole('status')).toHaveText(/Camera and microphone are on/);
  await expect.poll(() => page.getByLabel('Your camera').evaluate((v) => (v as unknown as { videoWidth: number }).videoWidth)).toBeGreaterThan(0);
  // Another camera and microphone: the self-view shows what the call will send.
  const selfView = () => page.getByLabel('Your camera').evaluate((v) => (v as unknown as { srcObject: { getTracks(): { label: string }[] } }).srcObject.getTracks().map((t) => t.label).sort());
  expect(await selfView()).toEqual(['Fake Default Audio Input', 'fake_device_0']);
  await page.getByLabel('Camera', { exact: true }).selectOption({ label: 'fake_device_1' });
  await expect.poll(selfView).toEqual(['Fake Default Audio Input', 'fake_device_1']);
  await page.getByLabel('Microphone', { exact: true }).selectOption({ label: 'Fake Audio Input 2' });
  await expect.poll(selfView).toEqual(['Fake Audio Input 2', 'fake_device_1']);
  expect((await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze()).violations.map((v) => v.id)).toEqual([]);
  await page.getByLabel('Your full name').fill('Wilhelmina Farfield');
  await page.getByLabel('Your date of birth').fill('1955-05-05');
  await page.getByRole('button', { name: 'Join the waiting room' }).click();
  await expect(page.getByRole('heading', { name: 'Waiting room' })).toBeVisible();
  await expect(page.getByRole('status')).toHaveText(/The clinic is online/);

  // What reached the clinic is ciphertext that only its per-visit key opens.
  await expect.poll(() => clinicHeard.some((m) => m.type === 'identity')).toBe(true);
  const answer = clinicHeard.find((m) => m.type === 'identity') as { iv: string; publicKey: string; ciphertext: string };
  expect(JSON.stringify(answer)).not.toContain('Farfield');
  const shared = diffieHellman({ privateKey: createPrivateKey(privateKey.export({ format: 'pem', type: 'pkcs8' })), publicKey: createPublicKey({ key: JSON.parse(answer.publicKey) as Record<string, string>, format: 'jwk' }) });
  const ct = Buffer.from(answer.ciphertext, 'base64url');
  const iv = Buffer.from(answer.iv, 'base64url');
  const key = Buffer.from(hkdfSync('sha256', shared, iv, 'chartroom/visit-identity/v1', 32));
  const d = createDecipheriv('aes-256-gcm', key, iv);
  d.setAuthTag(ct.subarray(ct.length - 16));
  const plain = JSON.parse(Buffer.concat([d.update(ct.subarray(0, ct.length - 16)), d.final()]).toString('utf8')) as { name: string; dateOfBirth: string };
  expect(plain).toEqual({ name: 'Wilhelmina Farfield', dateOfBirth: '1955-05-05' });

  // The same link in a second tab is refused while this one waits.
  const second = await context.newPage();
  await second.goto(link.url);
  await second.getByRole('button', { name: 'Turn on camera and microphone' }).click();
  await second.getByLabel('Your full name').fill('Someone Else');
  await second.getByLabel('Your date of birth').fill('1990-01-01');
  await second.getByRole('button', { name: 'Join the waiting room' }).click();
  await expect(second.getByRole('alert')).toHaveText(/already open in another browser/);

  clinic.send(JSON.stringify({ type: 'admit' }));
  await expect(page.getByRole('button', { name: 'Leave the visit' })).toBeVisible();
  // Chat both ways, sealed with the key the identity answer agreed: the service sees ciphertext.
  const chatKey = openIdentity(JSON.stringify(privateKey.export({ format: 'jwk' })), answer)!.chatKey;
  clinic.send(JSON.stringify({ type: 'chat', ...sealChat(chatKey, 'clinic', 'Good morning, can you hear me?') }));
  await expect(page.getByRole('log', { name: 'Chat messages' })).toContainText('Clinic: Good morning, can you hear me?');
  await page.getByLabel('Message', { exact: true }).fill('Yes, I can.');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect.poll(() => clinicHeard.some((m) => m.type === 'chat')).toBe(true);
  const reply = clinicHeard.find((m) => m.type === 'chat') as { iv: string; ciphertext: string };
  expect(JSON.stringify(reply)).not.toContain('I can');
  expect(openChat(chatKey, 'patient', reply)).toBe('Yes, I can.');
  await page.getByRole('button', { name: 'Mute' }).click();
  await expect(page.getByRole('button', { name: 'Unmute' })).toHaveAttribute('aria-pressed', 'true');

  clinic.send(JSON.stringify({ type: 'end' }));
  await expect(page.getByRole('heading', { name: 'The visit has ended' })).toBeVisible();
  clinic.close();
});

/** Whether an element lies wholly inside the page's viewport. */
async function inView(page: Page, locator: Locator): Promise<boolean> {
  const box = await locator.boundingBox();
  const size = page.viewportSize();
  return Boolean(box && size && box.y >= 0 && box.x >= 0 && box.y + box.height <= size.height + 0.5 && box.x + box.width <= size.width + 0.5);
}

for (const screen of [{ name: 'a phone', width: 375, height: 667 }, { name: 'a laptop', width: 1280, height: 720 }]) {
  test(`on ${screen.name} the page names the clinic and the time, keeps controls and the newest chat in view, and says when the physician's camera is off`, async ({ browser }) => {
    const context = await browser.newContext({ viewport: { width: screen.width, height: screen.height } });
    const page = await context.newPage();
    try {
      const { link, validFrom, privateKey, socketUrl, token } = await clinicWithLink({ from: -60_000, until: 3600_000 });
      const clinicHeard: Record<string, unknown>[] = [];
      const clinic = new WebSocket(socketUrl, { headers: { authorization: `Bearer ${token}` } });
      clinic.on('message', (m) => clinicHeard.push(JSON.parse(m.toString()) as Record<string, unknown>));
      await new Promise((r) => clinic.once('open', r));
      await page.goto(link.url);
      // The link opened a minute ago, 30 minutes before the appointment: the page says when that is.
      const appointment = new Date(Date.parse(validFrom) + 30 * 60_000);
      const time = await page.evaluate((t) => new Date(t).toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' }), appointment.toISOString());
      await expect(page.getByTestId('visit-info')).toContainText('With Maple Street');
      await expect(page.getByTestId('visit-info')).toContainText(time);
      await page.getByRole('button', { name: 'Turn on camera and microphone' }).click();
      await page.getByLabel('Your full name').fill('Wilhelmina Farfield');
      await page.getByLabel('Your date of birth').fill('1955-05-05');
      await page.getByRole('button', { name: 'Join the waiting room' }).click();
      await expect(page.getByTestId('visit-info')).toContainText('With Maple Street');
      await expect.poll(() => clinicHeard.some((m) => m.type === 'identity')).toBe(true);
      const answer = clinicHeard.find((m) => m.type === 'identity') as { iv: string; publicKey: string; ciphertext: string };
      const chatKey = openIdentity(JSON.stringify(privateKey.export({ format: 'jwk' })), answer)!.chatKey;
      clinic.send(JSON.stringify({ type: 'admit' }));
      await expect(page.getByRole('button', { name: 'Leave the visit' })).toBeVisible();
      for (let i = 1; i <= 12; i++) clinic.send(JSON.stringify({ type: 'chat', ...sealChat(chatKey, 'clinic', `Line ${i} of the physician's questions`) }));
      await expect(page.getByRole('log', { name: 'Chat messages' })).toContainText('Line 12 of');
      for (const control of [page.getByRole('button', { name: 'Mute' }), page.getByRole('button', { name: 'Turn camera off' }), page.getByRole('button', { name: 'Leave the visit' }),
        page.getByLabel('Message', { exact: true }), page.getByRole('button', { name: 'Send' }), page.getByLabel('The clinic', { exact: true })]) {
        expect(await inView(page, control), `${screen.name}: ${String(control)}`).toBe(true);
      }
      expect(await inView(page, page.getByText('Clinic: Line 12 of the physician\'s questions')), 'newest chat line').toBe(true);
      expect(await page.evaluate(() => { const g = globalThis as unknown as { document: { documentElement: { scrollHeight: number } }; innerHeight: number }; return g.document.documentElement.scrollHeight <= g.innerHeight + 1; }), 'no page scroll').toBe(true);

      clinic.send(JSON.stringify({ type: 'camera', on: false }));
      await expect(page.getByTestId('clinic-camera')).toHaveText('The physician has turned their camera off. You can still hear each other.');
      await page.screenshot({ path: `test-results/patient-page-${screen.width}x${screen.height}.png` });
      expect((await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()).violations.map((v) => v.id)).toEqual([]);
      clinic.send(JSON.stringify({ type: 'camera', on: true }));
      await expect(page.getByTestId('clinic-camera')).toBeHidden();
      clinic.close();
    } finally {
      await context.close();
    }
  });
}
