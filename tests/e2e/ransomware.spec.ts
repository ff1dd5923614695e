// Ransomware on one workstation (issue 12's acceptance), at 1366×768: three workstations of one
// clinic (three browser hosts, one tenant service process). Malware at the billing office's
// keyboard, through the app's own calls under a nurse's account, rewrites 100 patients' names
// and phones and removes their allergies, while the front desk registers a patient and the exam
// room corrects a preferred name. Then: an admin locks the clinic down (all three screens lock
// within 2 s); IT, with the recovery code, revokes the billing office and lets the front desk
// back; the admin there previews and undoes the billing office's changes after the first bad
// write; IT lets the exam room back. Both show the 100 patients as before, keep their own edits,
// and the clinic's audit log shows the billing office's rows.
import { mkdir } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { emptyPatientFields } from '../../shared/domain/patient';
import { pageCall } from '../helpers/e2e-api';
import { mainNav, signIn } from '../helpers/e2e-clinic';
import { adminLockdown } from '../helpers/e2e-it';
import { expect, test } from '../helpers/e2e-test';
import { clinicWorkstations } from '../helpers/e2e-workstations';

const shots = 'test-results/ransomware';
const nurse = { username: 'nora', password: 'nora-own-password-2026' };
let stop: (() => Promise<void>) | undefined;

test.afterEach(async () => {
  await stop?.();
  stop = undefined;
});

async function call<T>(page: Page, name: string, body: unknown): Promise<T> {
  const r = await pageCall<T>(page, name, body);
  if (!r.ok) throw new Error(`${name}: ${r.error?.code} ${r.error?.message}`);
  return r.value;
}

const axe = async (page: Page) => (await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()).violations;
type Patient = typeof emptyPatientFields & { id: string; mrn: string; createdAt: string; updatedAt: string };
const fieldsOf = ({ id: _i, mrn: _m, createdAt: _c, updatedAt: _u, ...fields }: Patient) => fields;

test('ransomware on one workstation: lock down, revoke it, undo its changes, lift the others', async ({ browser }) => {
  test.setTimeout(300_000);
  await mkdir(shots, { recursive: true });
  const people = Array.from({ length: 100 }, (_, i) => ({
    ...emptyPatientFields, familyName: `Family${String(i).padStart(3, '0')}`, givenNames: 'Pat', dateOfBirth: `19${String(40 + (i % 50)).padStart(2, '0')}-0${1 + (i % 9)}-1${i % 10}`,
    sexAtBirth: 'female' as const, phone: `(555) 2${String(i).padStart(2, '0')}-${String(1000 + i)}`,
  }));
  const clinic = await clinicWorkstations(browser, ['Exam room 1', 'Billing office'], async (a) => {
    await call(a, 'users.create', { username: nurse.username, displayName: 'Nora Nurse', roles: ['nurse', 'front-desk'], password: nurse.password });
    await call(a, 'patients.registerMany', { patients: people, reason: 'moving the clinic in' });
  }, { roles: ['Front desk', 'Nurse'] });
  stop = clinic.stop;
  const { cloud, recoveryCode } = clinic;
  const [a, b, c] = clinic.pages as [Page, Page, Page];
  const list = await call<{ patients: { id: string; familyName: string }[] }>(a, 'patients.list', { limit: 200 });
  const before = list.patients.filter((p) => p.familyName.startsWith('Family')).sort((x, y) => x.familyName.localeCompare(y.familyName));
  expect(before).toHaveLength(100);
  for (const p of before.slice(0, 20)) await call(a, 'allergies.add', { patientId: p.id, allergy: { substance: 'Penicillin', reaction: 'hives', severity: 'severe', code: '' } });
  await call(a, 'sync.now', {});
  await signIn(b);
  await signIn(c, nurse.username, nurse.password);
  for (const p of [b, c]) await expect.poll(async () => (await call<{ pending: number; state: string }>(p, 'sync.now', {})).state, { timeout: 20_000 }).toBe('online');

  // The attack, at the billing office, through the app's own calls.
  await c.waitForTimeout(1100);
  const firstBad = new Date();
  for (const p of before) {
    const full = await call<Patient>(c, 'patients.get', { patientId: p.id });
    await call(c, 'patients.update', { patientId: p.id, fields: { ...fieldsOf(full), familyName: 'PAY-IN-BITCOIN', phone: '(555) 000-0000' } });
  }
  for (const p of before.slice(0, 20)) {
    const chart = await call<{ allergies: { id: string }[] }>(c, 'chart.summary', { patientId: p.id });
    for (const al of chart.allergies) await call(c, 'allergies.remove', { patientId: p.id, allergyId: al.id, reason: 'Entered in error' });
  }
  // Meanwhile, legitimate work: the front desk registers a newcomer; the exam room corrects a preferred name.
  const newcomer = await call<{ status: string; patient: { id: string } }>(a, 'patients.register', { fields: { ...emptyPatientFields, familyName: 'Newcomer', givenNames: 'Ivy', dateOfBirth: '1999-09-09', sexAtBirth: 'female', phone: '(555) 777-1234' } });
  await call(b, 'patients.update', { patientId: before[5]!.id, fields: { ...fieldsOf(await call<Patient>(b, 'patients.get', { patientId: before[5]!.id })), preferredName: 'Patty' } });
  for (const p of [c, a, b]) await call(p, 'sync.now', {});
  // The billing office's audit rows go with its next rounds.
  await c.waitForTimeout(3500);
  await call(c, 'sync.now', {});

  // 1. An admin locks the clinic down from the front desk: every screen locks within 2 s.
  await mainNav(a, 'Workstations').click();
  const clinicId = (await a.getByLabel('Clinic ID').textContent())?.trim() ?? '';
  await a.getByRole('button', { name: 'Lock down the clinic' }).click();
  const asked = Date.now();
  await a.getByRole('dialog', { name: 'Lock down every workstation?' }).getByRole('button', { name: 'Lock down every workstation' }).click();
  const heading = (p: Page) => p.getByRole('heading', { name: 'This clinic is locked down' });
  await Promise.all([a, b, c].map((p) => expect(heading(p)).toBeVisible({ timeout: 2_000 })));
  expect(Date.now() - asked).toBeLessThan(2_500);
  await c.screenshot({ path: `${shots}/billing-office-locked.png` });

  // 2. IT revokes the billing office and lets the front desk back; the admin there undoes the billing office's changes.
  const status = await adminLockdown(recoveryCode, '--cloud', cloud.url, '--clinic', clinicId, '--status');
  const idOf = (name: string) => new RegExp(`([0-9a-f-]{36})\\s+locked down\\s+${name}`).exec(status)?.[1] as string;
  const [frontDesk, examRoom, billing] = [idOf('Front desk'), idOf('Exam room 1'), idOf('Billing office')];
  expect([frontDesk, examRoom, billing].every(Boolean)).toBe(true);
  expect(await adminLockdown(recoveryCode, '--cloud', cloud.url, '--clinic', clinicId, '--revoke', billing)).toMatch(/revoked\s+Billing office/);
  expect(await adminLockdown(recoveryCode, '--cloud', cloud.url, '--clinic', clinicId, '--lift', frontDesk)).toMatch(/open\s+Front desk/);
  await expect(a.getByRole('heading', { name: 'Sign in' })).toBeVisible({ timeout: 10_000 });
  await signIn(a);
  await expect.poll(async () => (await call<{ state: string }>(a, 'sync.now', {})).state, { timeout: 20_000 }).toBe('online');
  await mainNav(a, 'Workstations').click();
  await a.getByRole('button', { name: 'Undo changes made at Billing office' }).click();
  const dialog = a.getByRole('dialog', { name: 'Undo changes made at Billing office' });
  const local = new Date(firstBad.getTime() - firstBad.getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
  await dialog.getByLabel('Undo its changes made from').fill(local);
  await dialog.getByRole('button', { name: 'Preview' }).click();
  const preview = dialog.getByRole('region', { name: 'What the undo would do' });
  await expect(preview).toContainText(/120 change sets from Billing office \(workstation 3\): \d+ fields of 100 patients go back/, { timeout: 30_000 });
  await expect(preview.getByRole('list', { name: 'Patients the undo touches' })).toContainText('PAY-IN-BITCOIN, Pat');
  await a.screenshot({ path: `${shots}/undo-preview.png` });
  expect(await axe(a)).toEqual([]);
  await preview.getByRole('button', { name: 'Undo these changes' }).click();
  await expect(dialog.getByRole('status')).toContainText(/went back/, { timeout: 30_000 });
  await a.screenshot({ path: `${shots}/undone.png` });
  await dialog.getByRole('button', { name: 'Close' }).first().click().catch(() => a.keyboard.press('Escape'));
  await call(a, 'sync.now', {});

  // 3. IT lets the exam room back: it shows the patients as before the attack, and every legitimate edit.
  await adminLockdown(recoveryCode, '--cloud', cloud.url, '--clinic', clinicId, '--lift', examRoom);
  await expect(b.getByRole('heading', { name: 'Sign in' })).toBeVisible({ timeout: 10_000 });
  await signIn(b);
  await expect.poll(async () => (await call<{ state: string; pending: number }>(b, 'sync.now', {})).state, { timeout: 20_000 }).toBe('online');
  for (const page of [a, b]) {
    await expect.poll(async () => {
      const now = await Promise.all(before.map((p) => call<Patient>(page, 'patients.get', { patientId: p.id })));
      return now.filter((p, i) => p.familyName === before[i]!.familyName && p.phone.startsWith('(555) 2')).length;
    }, { timeout: 20_000 }).toBe(100);
    expect((await call<Patient>(page, 'patients.get', { patientId: before[5]!.id })).preferredName).toBe('Patty');
    expect((await call<Patient>(page, 'patients.get', { patientId: newcomer.patient.id })).familyName).toBe('Newcomer');
    for (const p of before.slice(0, 20)) {
      const chart = await call<{ allergies: { substance: string; inactive: unknown }[] }>(page, 'chart.summary', { patientId: p.id });
      expect(chart.allergies.filter((x) => x.substance === 'Penicillin' && x.inactive === null)).toHaveLength(1);
    }
  }
  // What a person sees in the exam room: the first patient by name, as before.
  await mainNav(b, 'Patients').click();
  await b.getByRole('combobox', { name: 'Find a patient' }).fill('Family000');
  await expect(b.getByRole('listbox', { name: 'Search results' }).getByRole('option', { name: /Family000/ }).first()).toBeVisible();
  await b.screenshot({ path: `${shots}/exam-room-restored.png` });

  // The audit log shows all of it, the billing office's rows included.
  await mainNav(a, 'Audit log').click();
  const filter = a.getByRole('form', { name: 'Filter the audit log' });
  const billingOption = await filter.getByLabel('Workstation').locator('option', { hasText: 'Billing office' }).getAttribute('value');
  await filter.getByLabel('Workstation').selectOption(billingOption ?? '');
  await filter.getByRole('button', { name: 'Show' }).click();
  const entries = a.getByRole('table', { name: 'Audit entries' });
  await expect(entries).toContainText('patients.update', { timeout: 10_000 });
  await expect(entries).toContainText('Nora Nurse');
  await a.screenshot({ path: `${shots}/audit-billing-office.png` });
});
