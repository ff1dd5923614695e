// The clinic-wide audit trail at 1366×768 (issue 12, point 1): a physician opens a chart on the
// front desk's workstation; on the exam room's, the admin's Audit log shows that read with the
// physician, the patient and the workstation by name, found by the patient's name and by MRN;
// exports it as CSV and prints it (Save as PDF) as an accounting of disclosures; and the
// integrity check names both workstations' chains, intact.
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from '../helpers/e2e-test';
import { pageCall, registerByCall } from '../helpers/e2e-api';
import { e2ePassword, mainNav, signIn } from '../helpers/e2e-clinic';
import { type TwoWorkstations, twoWorkstations } from '../helpers/e2e-workstations';

const run = promisify(execFile);
const shots = 'test-results/clinic-audit';
let clinic: TwoWorkstations | undefined;

test.afterEach(async () => {
  await clinic?.stop();
  clinic = undefined;
});

/** Presses the sync badge and waits for the round to finish. */
async function syncNow(page: Page) {
  await page.getByRole('button', { name: /^Sync: / }).click();
  await expect(page.getByRole('button', { name: /^Sync: Synced/ })).toBeVisible({ timeout: 15_000 });
}

test('a read on one workstation is in the other’s audit log, by name; exported, printed and verified', async ({ browser }) => {
  test.setTimeout(120_000);
  await mkdir(shots, { recursive: true });
  let patient = { id: '', mrn: '' };
  clinic = await twoWorkstations(browser, async (a) => {
    patient = await registerByCall(a, { familyName: 'Vandermeer-Oduya', givenNames: 'Solenne', dateOfBirth: '1979-04-12' });
    expect((await pageCall(a, 'users.create', { username: 'paul', displayName: 'Dr Paul Physician', roles: ['physician'], password: 'paul-physician-pass-1' })).ok).toBe(true);
  }, { acceptDownloads: true });
  const { a, b } = clinic;

  // The physician opens the chart on the front desk's workstation.
  await a.getByRole('button', { name: 'Sign out' }).click();
  await signIn(a, 'paul', 'paul-physician-pass-1');
  await mainNav(a, 'Patients').click();
  await a.getByRole('combobox', { name: 'Find a patient' }).fill('Vandermeer');
  await a.getByRole('option', { name: /Vandermeer-Oduya/ }).first().click();
  await expect(a.getByRole('region', { name: 'Patient banner' })).toContainText('Vandermeer-Oduya');
  await syncNow(a);

  // The admin, in the exam room, finds it by the patient's name.
  await signIn(b, 'ada', e2ePassword);
  await syncNow(b);
  await mainNav(b, 'Audit log').click();
  await b.getByLabel('Patient (name or MRN)').fill('vandermeer');
  await b.getByRole('button', { name: 'Show' }).click();
  const table = b.getByRole('table', { name: 'Audit entries' });
  const read = table.getByRole('row').filter({ hasText: 'chart.summary' }).first();
  await expect(read).toContainText('Dr Paul Physician');
  await expect(read).toContainText(`Vandermeer-Oduya, Solenne · MRN ${patient.mrn}`);
  await expect(read).toContainText('Front desk');
  await b.screenshot({ path: `${shots}/audit-by-patient.png` });
  expect((await new AxeBuilder({ page: b }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()).violations).toEqual([]);
  // And by the MRN without its leading zeros.
  await b.getByLabel('Patient (name or MRN)').fill(patient.mrn.replace(/^0+/, ''));
  await b.getByRole('button', { name: 'Show' }).click();
  await expect(table.getByRole('row').filter({ hasText: 'chart.summary' }).first()).toContainText('Front desk');

  // Export: a CSV file with the same entry.
  const [download] = await Promise.all([b.waitForEvent('download'), b.getByRole('button', { name: 'Export CSV' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^chartroom-audit-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = await readFile((await download.path()) as string, 'utf8');
  expect(csv.split('\n')[0]).toBe('Local time,UTC,User,Username,Action,Patient,MRN,Workstation,Outcome,Detail');
  expect(csv).toMatch(new RegExp(`Dr Paul Physician,paul,chart\\.summary,"Vandermeer-Oduya, Solenne",${patient.mrn},Front desk,success`));

  // Print / Save as PDF: the sheet says what it is and holds the entries, not the controls.
  const pdfFile = `${shots}/audit.pdf`;
  await b.emulateMedia({ media: 'print' });
  await writeFile(pdfFile, await b.pdf({ format: 'Letter', landscape: true }));
  await b.emulateMedia({ media: 'screen' });
  const { stdout: printed } = await run('pdftotext', [pdfFile, '-']);
  const text = printed.replace(/\s+/g, ' ');
  expect(text).toContain('Accounting of disclosures: patient');
  expect(text).toContain('Vandermeer-Oduya, Solenne');
  expect(text).toContain('Dr Paul Physician');
  expect(text).not.toContain('Export CSV');
  expect(text).not.toContain('Sign out');

  // Both workstations' chains, intact, checked against the cloud.
  await b.getByRole('button', { name: 'Check integrity' }).click();
  const chains = b.getByRole('list', { name: 'Audit chains' });
  await expect(chains).toContainText(/Exam room 1: \d+ entries, intact\./);
  await expect(chains).toContainText(/Front desk: \d+ entries, intact\./);
  await b.screenshot({ path: `${shots}/audit-integrity.png` });
});
