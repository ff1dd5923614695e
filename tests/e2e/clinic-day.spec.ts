// One clinic day in Chromium through the browser host, one test per role, in order: the admin
// sets the clinic up; the front desk registers, books and checks in; the nurse rooms and takes
// vitals and an allergy; the physician charts, is warned about the allergy, signs, adds an
// addendum and prints the visit summary; the front desk checks out and cannot read the note.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type Browser, expect, type Page, test } from '@playwright/test';
import { type HostProcess, startHostProcess } from '../helpers/browser-host-process';
import { clinicMorning, localDate, setPageClock, testClock } from '../helpers/test-clock';

const run = promisify(execFile);
test.describe.configure({ mode: 'serial' });

let host: HostProcess;
let browser: Browser;
let page: Page;
const users = {
  admin: { username: 'ada', password: 'maple-street-admin-2026' },
  desk: { username: 'fran', password: 'front-desk-passphrase-9' },
  nurse: { username: 'nia', password: 'nurse-passphrase-2026' },
  doctor: { username: 'drlee', password: 'doctor-passphrase-2026' },
};
const patient = { family: 'Abernathy-Quill', given: 'Zanele', dob: '1984-06-02', phone: '(555) 201-4477' };
const assessment = 'Community-acquired pneumonia, right lower lobe';
const addendum = 'Addendum: chest X-ray reviewed, confirms RLL consolidation.';
// The whole day runs on one clinic clock (host and page), so it is one day whatever the hour.
const clock = testClock(clinicMorning(8, 30));
const today = localDate(clock.now());

test.beforeAll(async ({ browser: b }) => {
  host = await startHostProcess(undefined, [], { clock });
  browser = b;
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await setPageClock(page.context(), clock);
  await page.goto(host.url);
});
test.afterAll(async () => {
  await page.close();
  await host.stop();
});

async function signIn(who: { username: string; password: string }) {
  if (await page.getByRole('button', { name: 'Sign out' }).isVisible()) {
    await page.getByRole('button', { name: 'Sign out' }).click();
  }
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.getByLabel('Username').fill(who.username);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

const nav = (name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true });
const queueRow = () => page.getByRole('row', { name: new RegExp(`10:00 ${patient.family}`) });

test('practice admin sets up the clinic, its staff and its hours', async () => {
  await page.getByLabel('Clinic name').fill('Maple Street Family Practice');
  await page.getByLabel('Your full name').fill('Ada Admin');
  await page.getByLabel('Username').fill(users.admin.username);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(users.admin.password);
  await page.getByLabel('Confirm password').fill(users.admin.password);
  await page.getByRole('button', { name: 'Create clinic' }).click();
  // The embedded local cloud enrolled this first workstation: its recovery code is shown once.
  await expect(page.getByLabel('Recovery code', { exact: true })).toHaveText(/^[0-9A-Z]{8}(-[0-9A-Z]{8}){3}$/);
  await page.getByRole('button', { name: 'I have stored the recovery code' }).click();
  await expect(page.getByRole('button', { name: /^Sync: Synced/ })).toBeVisible({ timeout: 10_000 });
  await nav('Users').click();
  await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible();
  const add = page.getByRole('form', { name: 'Add a user' });
  for (const [name, u, role] of [['Fran Desk', users.desk, 'Front desk'], ['Nia Nurse', users.nurse, 'Nurse'], ['Dr Lee', users.doctor, 'Physician']] as const) {
    await add.getByLabel('Full name').fill(name);
    await add.getByLabel('Username').fill(u.username);
    for (const r of ['Front desk', 'Nurse', 'Physician']) await add.getByRole('checkbox', { name: r, exact: true }).setChecked(r === role);
    await add.getByLabel('Initial password').fill(u.password);
    await add.getByRole('button', { name: 'Add user' }).click();
    await expect(page.getByRole('cell', { name: u.username, exact: true })).toBeVisible();
  }
  // Open every day, so this test's "today" is inside clinic hours whatever day it runs.
  await nav('Schedule set-up').click();
  await expect(page.getByRole('switch', { name: /Dr Lee/ })).toBeChecked();
  const hours = page.getByRole('form', { name: 'Clinic hours' });
  for (const day of ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']) {
    await hours.getByRole('checkbox', { name: `Open on ${day}` }).check();
    await hours.getByLabel(`${day} opens`).fill('07:00');
    await hours.getByLabel(`${day} closes`).fill('19:00');
  }
  await hours.getByRole('button', { name: 'Save hours' }).click();
  await expect(page.getByText('Clinic hours saved.')).toBeVisible();
});

test('front desk registers the patient, books a 10:00 follow-up and checks them in', async () => {
  await signIn(users.desk);
  await nav('Patients').click();
  await page.getByRole('button', { name: 'Register patient' }).click();
  await page.getByLabel('Family name').fill(patient.family);
  await page.getByLabel('Given names').fill(patient.given);
  await page.getByLabel('Date of birth').fill(patient.dob);
  await page.getByLabel('Phone', { exact: true }).fill(patient.phone);
  await page.getByRole('button', { name: 'Register patient' }).click();
  await expect(page.getByRole('region', { name: 'Patient banner' })).toContainText(patient.family);

  await nav('Schedule').click();
  await page.getByRole('button', { name: 'Book appointment' }).click();
  const dialog = page.getByRole('dialog', { name: 'Book an appointment' });
  await dialog.getByRole('combobox', { name: 'Patient' }).fill('abernathy');
  await page.getByRole('option', { name: new RegExp(patient.family) }).click();
  await dialog.getByLabel('Provider').selectOption({ label: 'Dr Lee' });
  await dialog.getByLabel('Appointment type').selectOption({ label: 'Follow-up (20 min)' });
  await dialog.getByLabel('Date').fill(today);
  await dialog.getByLabel('Time').fill('10:00');
  await dialog.getByLabel('Reason for visit').fill('Cough and fever');
  await dialog.getByRole('button', { name: 'Book', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('region', { name: 'Dr Lee schedule' }).getByRole('button', { name: new RegExp(`10:00 ${patient.family}`) })).toBeVisible();

  // Booking over it warns and needs a confirmation.
  await page.getByRole('button', { name: 'Book appointment' }).click();
  await dialog.getByRole('combobox', { name: 'Patient' }).fill('abernathy');
  await page.getByRole('option', { name: new RegExp(patient.family) }).click();
  await dialog.getByLabel('Date').fill(today);
  await dialog.getByLabel('Time').fill('10:10');
  await dialog.getByRole('button', { name: 'Book', exact: true }).click();
  await expect(dialog.getByRole('alert')).toContainText('Overlaps 10:00');
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  await nav('Today').click();
  await expect(queueRow()).toContainText('Scheduled');
  await queueRow().getByRole('button', { name: /^Check in/ }).click();
  await expect(queueRow()).toContainText('Checked in');
});

test('nurse rooms the patient and records vitals and an allergy', async () => {
  await signIn(users.nurse);
  await expect(page.getByRole('heading', { name: 'Today' })).toBeVisible();
  await queueRow().getByRole('button', { name: /^Room/ }).click();
  await expect(queueRow()).toContainText('Roomed');
  await queueRow().getByRole('button', { name: /^Open chart/ }).click();
  const vitals = page.getByRole('form', { name: 'Record vitals' });
  for (const [sys, dia, hr, lb] of [['128', '82', '72', '150'], ['141', '90', '96', '149']] as const) {
    await vitals.getByLabel('Systolic').fill(sys);
    await vitals.getByLabel('Diastolic').fill(dia);
    await vitals.getByLabel('Heart rate').fill(hr);
    await vitals.getByLabel('Weight lb').fill(lb);
    await vitals.getByRole('button', { name: 'Record vitals' }).click();
    await expect(page.getByRole('table', { name: 'Vitals history' })).toContainText(`${sys}/${dia}`);
  }
  // An implausible value is refused with the field named, and nothing is recorded.
  await vitals.getByLabel('Heart rate').fill('720');
  await vitals.getByRole('button', { name: 'Record vitals' }).click();
  await expect(vitals.getByRole('alert')).toContainText('Heart rate is above the plausible range (20–250 /min)');
  await expect(page.getByRole('table', { name: 'Vitals history' }).getByRole('row')).toHaveCount(3);

  const allergy = page.getByRole('form', { name: 'Add an allergy' });
  await allergy.getByLabel('Allergy to').fill('Penicillin');
  await allergy.getByLabel('Reaction').fill('Anaphylaxis');
  await allergy.getByLabel('Severity').selectOption('severe');
  await allergy.getByRole('button', { name: 'Add allergy' }).click();
  await expect(page.getByRole('group', { name: 'Allergies' })).toContainText('Penicillin');
  // Nurses read the chart but do not write notes.
  await expect(page.getByRole('button', { name: 'New encounter' })).toHaveCount(0);
});

test('physician sees the patient, charts, is warned about the allergy, signs, adds an addendum and prints', async () => {
  await signIn(users.doctor);
  // Today shows who the patient is and why they came, and how long they have waited since check-in.
  await expect(queueRow()).toContainText('Born Jun 2, 1984');
  await expect(queueRow()).toContainText('Cough and fever');
  await expect(queueRow()).toContainText(/waiting \d+ min/);
  // Opening the note is seeing the patient: the visit moves to "with provider" by itself.
  await queueRow().getByRole('button', { name: /^Visit note/ }).click();
  const note = page.getByRole('region', { name: 'SOAP note' });
  await note.getByLabel('Subjective').fill('Cough and fever for 4 days.');
  await note.getByLabel('Objective').fill('T 38.6, crackles right base.');
  await note.getByLabel('Assessment').fill(assessment);
  await note.getByLabel('Plan').fill('Azithromycin; review in 3 days.');
  await expect(note.getByRole('status')).toContainText('Draft saved');

  // Problem and medications on the chart; the matching drug raises the allergy warning.
  await page.getByRole('button', { name: 'Back to chart' }).click();
  const problem = page.getByRole('form', { name: 'Add a problem' });
  await problem.getByLabel('Problem').fill('Pneumonia');
  await problem.getByLabel('ICD-10-CM').fill('J18.9');
  await problem.getByRole('button', { name: 'Add problem' }).click();
  await expect(page.getByRole('region', { name: 'Problems' })).toContainText('Pneumonia (J18.9)');
  const med = page.getByRole('form', { name: 'Add a medication' });
  await med.getByLabel('Medication').fill('Penicillin V potassium');
  await med.getByLabel('Dose').fill('500 mg');
  await med.getByRole('button', { name: 'Add medication' }).click();
  const warning = page.getByRole('dialog', { name: 'Allergy warning' });
  await expect(warning).toContainText('Penicillin (Anaphylaxis, severe)');
  await warning.getByRole('button', { name: 'Do not add' }).click();
  await med.getByLabel('Medication').fill('Azithromycin');
  await med.getByLabel('Dose').fill('500 mg');
  await med.getByRole('button', { name: 'Add medication' }).click();
  const meds = page.getByRole('table', { name: 'Medications' });
  await expect(meds).toContainText('Azithromycin');
  await expect(meds).not.toContainText('Penicillin');

  // The trend plot shows both recorded sets.
  const trend = page.getByRole('figure', { name: 'Vitals trend' });
  await expect(trend).toHaveAttribute('data-points', '2');
  await expect(trend.locator('.recharts-line')).toHaveCount(4);
  await expect(trend.locator('.recharts-line-dots').first().locator('circle')).toHaveCount(2);

  // Sign, then the note is read-only; an addendum goes under it.
  await page.getByRole('button', { name: /^Open encounter/ }).click();
  await expect(note.getByLabel('Assessment')).toHaveValue(assessment);
  await page.getByRole('button', { name: 'Sign note' }).click();
  // Signing asks first, naming whose note it is.
  const confirm = page.getByRole('dialog', { name: 'Sign this note?' });
  await expect(confirm).toContainText(`${patient.family}, ${patient.given}`);
  await confirm.getByRole('button', { name: 'Sign note' }).click();
  await expect(page.getByText(/Signed by Dr Lee/)).toBeVisible();
  await expect(note.getByRole('textbox')).toHaveCount(0);
  await page.getByRole('region', { name: 'Add an addendum' }).getByLabel('Addendum').fill(addendum);
  await page.getByRole('button', { name: 'Sign addendum' }).click();
  await expect(note.getByLabel('Addendum')).toContainText(addendum);

  // The visit summary, as Chromium renders it to PDF, carries the signed note and the addendum.
  await page.getByRole('button', { name: 'Visit summary (PDF)' }).click();
  await expect(page.getByRole('heading', { name: 'Visit summary' })).toBeVisible();
  await page.emulateMedia({ media: 'print' });
  const dir = await mkdtemp(join(tmpdir(), 'chartroom-pdf-'));
  try {
    const pdfFile = join(dir, 'visit.pdf');
    await writeFile(pdfFile, await page.pdf({ format: 'Letter' }));
    const { stdout } = await run('pdftotext', ['-layout', pdfFile, '-']);
    const text = stdout.replace(/\s+/g, ' ');
    for (const expected of ['Visit summary', `${patient.family}, ${patient.given}`, assessment, 'Azithromycin; review in 3 days.', addendum, 'Signed by Dr Lee', 'Penicillin']) {
      expect(text, expected).toContain(expected);
    }
    expect(text).not.toContain('Print / Save as PDF');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  await page.emulateMedia({ media: 'screen' });
  await page.getByRole('button', { name: 'Back', exact: true }).click();
});

test('front desk checks the patient out and cannot open the note', async () => {
  await signIn(users.desk);
  // The physician opened and signed the note: Today says so without anyone pressing a step.
  await expect(queueRow()).toContainText('With provider');
  await expect(queueRow()).toContainText(/seen \d\d:\d\d · signed \d\d:\d\d/);
  await queueRow().getByRole('button', { name: /^Check out/ }).click();
  await expect(queueRow()).toContainText('Checked out');
  await expect(queueRow()).toContainText(/in \d\d:\d\d · roomed \d\d:\d\d · seen \d\d:\d\d · signed \d\d:\d\d · out \d\d:\d\d/);
  // The day's count agrees with the rows: this patient was seen and checked out.
  await expect(page.getByRole('status', { name: "Today's count" })).toContainText('1 of 1 seen · 1 checked out');
  await queueRow().getByRole('button', { name: /^Open chart/ }).click();
  await expect(page.getByRole('region', { name: 'Patient banner' })).toContainText(patient.family);
  await expect(page.getByRole('region', { name: 'Encounters' })).toHaveCount(0);
  await expect(page.getByText(assessment)).toHaveCount(0);
  // Asking the engine directly is refused too.
  const refused = await page.evaluate(async () => {
    const storage = (globalThis as unknown as { sessionStorage: { getItem(k: string): string | null } }).sessionStorage;
    const token = storage.getItem('chartroom.launch-token') ?? '';
    type Answer = { value: { results: { id: string }[] }; error: { code: string } };
    const call = async (name: string, body: unknown): Promise<Answer> =>
      (await fetch(`/api/call/${name}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-chartroom-token': token }, body: JSON.stringify(body) })).json() as Promise<Answer>;
    const search = await call('patients.search', { query: 'abernathy' });
    const patientId = search.value.results[0]?.id;
    return [(await call('chart.summary', { patientId })).error.code, (await call('notes.sign', { patientId, noteId: patientId })).error.code];
  });
  expect(refused).toEqual(['permission-denied', 'permission-denied']);
});
