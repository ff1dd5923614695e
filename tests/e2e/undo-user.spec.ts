// Undoing one user's changes (issue 12, point 4) in Chromium at 1366×768, on a browser host with
// its embedded cloud: a front-desk account whose password was taken renames three patients;
// the admin opens Users → Undo changes… for that user, previews from the time of the first bad
// change (whose, how many change sets, which patients), undoes, and the names are back, while
// the admin's own later edit stays. By keyboard where a person would type.
import { mkdir } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { emptyPatientFields } from '../../shared/domain/patient';
import { type HostProcess, startHostProcess } from '../helpers/browser-host-process';
import { pageCall } from '../helpers/e2e-api';
import { mainNav, setUpClinic, signIn } from '../helpers/e2e-clinic';
import { expect, test } from '../helpers/e2e-test';

const shots = 'test-results/undo-user';
const mal = { username: 'mal', password: 'mal-own-password-2026' };
let host: HostProcess | undefined;

test.afterEach(async () => {
  await host?.stop();
  host = undefined;
});

async function call<T>(page: Page, name: string, body: unknown): Promise<T> {
  const r = await pageCall<T>(page, name, body);
  if (!r.ok) throw new Error(`${name}: ${r.error?.code} ${r.error?.message}`);
  return r.value;
}
type Patient = typeof emptyPatientFields & { id: string; mrn: string; createdAt: string; updatedAt: string };
const fieldsOf = ({ id: _i, mrn: _m, createdAt: _c, updatedAt: _u, ...fields }: Patient) => fields;

test('an admin undoes one user’s changes after a time, and keeps everyone else’s', async ({ page }) => {
  test.setTimeout(90_000);
  await mkdir(shots, { recursive: true });
  await page.setViewportSize({ width: 1366, height: 768 });
  host = await startHostProcess();
  await setUpClinic(page, { hostUrl: host.url, roles: ['Front desk'] });
  await call(page, 'users.create', { username: mal.username, displayName: 'Mal Front', roles: ['front-desk'], password: mal.password });
  const patients: Patient[] = [];
  for (const [i, family] of ['Hawthorne', 'Iverson', 'Jarrow'].entries()) {
    const r = await call<{ status: string; patient: Patient }>(page, 'patients.register', { fields: { ...emptyPatientFields, familyName: family, givenNames: 'June', dateOfBirth: `198${i}-05-0${i + 1}`, sexAtBirth: 'female', phone: `(555) 450-100${i}` } });
    patients.push(r.patient);
  }
  await page.getByRole('button', { name: 'Sign out' }).click();

  // Mal's account, in someone else's hands.
  await signIn(page, mal.username, mal.password);
  await page.waitForTimeout(50);
  const firstBad = new Date();
  for (const p of patients) await call(page, 'patients.update', { patientId: p.id, fields: { ...fieldsOf(p), familyName: 'WIPED' } });
  await page.getByRole('button', { name: 'Sign out' }).click();

  // Ada corrects a phone number afterwards: hers stays.
  await signIn(page);
  const first = await call<Patient>(page, 'patients.get', { patientId: patients[0]!.id });
  await call(page, 'patients.update', { patientId: first.id, fields: { ...fieldsOf(first), phone: '(555) 450-9999' } });
  await expect.poll(async () => (await call<{ pending: number }>(page, 'sync.now', {})).pending, { timeout: 20_000 }).toBe(0);

  await mainNav(page, 'Users').click();
  await page.getByRole('button', { name: 'Undo changes made by mal' }).click();
  const dialog = page.getByRole('dialog', { name: 'Undo changes made by Mal Front' });
  const local = new Date(firstBad.getTime() - firstBad.getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
  await dialog.getByLabel('Undo their changes made from').fill(local);
  await dialog.getByLabel('Undo their changes made from').press('Enter');
  const preview = dialog.getByRole('region', { name: 'What the undo would do' });
  await expect(preview).toContainText(/3 change sets from Mal Front \(mal\): \d+ fields of 3 patients go back/, { timeout: 30_000 });
  await expect(preview.getByRole('list', { name: 'Patients the undo touches' })).toContainText('WIPED, June');
  await page.screenshot({ path: `${shots}/undo-user-preview.png` });
  expect((await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()).violations).toEqual([]);
  await preview.getByRole('button', { name: 'Undo these changes' }).click();
  await expect(dialog.getByRole('status')).toContainText(/went back/, { timeout: 30_000 });
  await page.screenshot({ path: `${shots}/undo-user-done.png` });

  const now = await Promise.all(patients.map((p) => call<Patient>(page, 'patients.get', { patientId: p.id })));
  expect(now.map((p) => p.familyName)).toEqual(['Hawthorne', 'Iverson', 'Jarrow']);
  expect(now[0]?.phone).toBe('(555) 450-9999');
});
