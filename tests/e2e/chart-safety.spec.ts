// Patient safety in the chart, in Chromium at 1366×768 (a clinic screen), with screenshots:
// the allergy check by ingredient and class with an override that stays on the medication;
// one patient banner on every screen in a patient's context; corrections kept as a chart keeps
// them (entered in error, inactive with a reason); the vitals plot as small multiples on a time
// axis; an infant's age in days.
import { mkdir } from 'node:fs/promises';
import { type Browser, expect, type Locator, type Page, test } from '@playwright/test';
import { setUpClinic } from '../helpers/e2e-clinic';
import { type HostProcess, startHostProcess } from '../helpers/browser-host-process';
import { pageCall, registerByCall } from '../helpers/e2e-api';
import { clinicMorning, localDate, setPageClock, testClock } from '../helpers/test-clock';

test.describe.configure({ mode: 'serial' });
const clock = testClock(clinicMorning(8, 30));
const shots = 'test-results/chart-safety';
let host: HostProcess;
let browser: Browser;
let page: Page;
let patient: { id: string; mrn: string };

test.beforeAll(async ({ browser: b }) => {
  await mkdir(shots, { recursive: true });
  host = await startHostProcess(undefined, [], { clock });
  browser = b;
  page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await setPageClock(page.context(), clock);
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await setUpClinic(page, { hostUrl: host.url, roles: ['Physician', 'Front desk'], adminName: 'Dr Ada Okafor' });
  patient = await registerByCall(page, { familyName: 'Abernathy-Quill', givenNames: 'Zanele', dateOfBirth: '1984-06-02' });
});
test.afterAll(async () => {
  await page.close();
  await host.stop();
});

const banner = () => page.getByRole('region', { name: 'Patient banner' });
async function openChart(id = patient.id) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Patients', exact: true }).click();
  const family = id === patient.id ? 'Abernathy' : 'Tinyton';
  await page.getByRole('combobox', { name: 'Find a patient' }).fill(family);
  // The search is kept between visits: wait for this search's own result, not the last one's.
  await page.getByRole('option', { name: new RegExp(family) }).first().click();
  await expect(page.getByRole('region', { name: 'Chart actions' })).toBeVisible();
}

/** The banner is on screen, at the top, and names the patient: name, age and birth date, sex, MRN, allergies. */
async function expectBanner(screen: string, allergies: RegExp | string) {
  const b = banner();
  await expect(b, screen).toBeVisible();
  await expect(b.getByRole('heading', { name: 'Abernathy-Quill, Zanele' }), screen).toBeVisible();
  await expect(b, screen).toContainText('46 years');
  await expect(b, screen).toContainText('Born Jun 2, 1984');
  await expect(b, screen).toContainText('Female');
  await expect(b, screen).toContainText(`MRN ${patient.mrn}`);
  await expect(b.getByRole('group', { name: 'Allergies' }), screen).toContainText(allergies);
  const box = await b.boundingBox();
  expect(box && box.y >= 0 && box.y + box.height <= 260, `${screen}: banner at the top (${JSON.stringify(box)})`).toBe(true);
  expect(await b.evaluate((el) => el.getBoundingClientRect().width), screen).toBeGreaterThan(700);
}

const addMedication = async (name: string) => {
  const form = page.getByRole('form', { name: 'Add a medication' });
  await form.getByLabel('Medication').fill(name);
  await form.getByRole('button', { name: 'Add medication' }).click();
};

test('amoxicillin, Augmentin and Bactrim DS warn for penicillin and sulfa allergies; an override stays on the medication', async () => {
  await openChart();
  // No allergies recorded yet: the banner says so rather than nothing.
  await expect(banner().getByRole('group', { name: 'Allergies' })).toContainText('not recorded yet');
  const allergy = page.getByRole('form', { name: 'Add an allergy' });
  for (const [substance, reaction] of [['Penicillin', 'Anaphylaxis'], ['Sulfa drugs', 'Rash']] as const) {
    await allergy.getByLabel('Allergy to').fill(substance);
    await allergy.getByLabel('Reaction').fill(reaction);
    await allergy.getByRole('button', { name: 'Add allergy' }).click();
    await expect(banner().getByRole('group', { name: 'Allergies' })).toContainText(substance);
  }
  const warning = page.getByRole('dialog', { name: 'Allergy warning' });
  for (const [drug, says] of [
    ['Amoxicillin 500 mg', 'amoxicillin is a penicillin'],
    ['Augmentin 875', 'amoxicillin is a penicillin'],
    ['Bactrim DS', 'sulfamethoxazole is a sulfonamide antibiotic'],
  ] as const) {
    await addMedication(drug);
    await expect(warning, drug).toContainText(says);
    await warning.getByRole('button', { name: 'Do not add' }).click();
    await expect(warning).toBeHidden();
  }
  await expect(page.getByRole('table', { name: 'Medications' })).not.toContainText('Amoxicillin');

  // A cephalosporin is a cross-reactivity caution; giving it anyway needs a reason.
  await addMedication('Cephalexin 500 mg');
  await expect(warning).toContainText('Cross-reactivity');
  await expect(warning).toContainText('cephalexin is a cephalosporin');
  await page.screenshot({ path: `${shots}/allergy-warning.png` });
  await expect(warning.getByRole('button', { name: 'Override and add' })).toBeDisabled();
  await warning.getByLabel('Reason for giving it anyway').fill('Tolerated cephalexin in 2024 without reaction');
  await warning.getByRole('button', { name: 'Override and add' }).click();
  await expect(warning).toBeHidden();
  const note = page.getByRole('note', { name: 'Allergy override on Cephalexin 500 mg' });
  await expect(note).toBeVisible();
  await expect(note).toContainText('Penicillin');
  await expect(note).toContainText('Acknowledged by Dr Ada Okafor');
  await expect(note).toContainText('Tolerated cephalexin in 2024 without reaction');
  await note.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}/override-on-medication.png` });
});

test('one banner on the chart, the note, documents, the demographics form and both printouts', async () => {
  await openChart();
  await expectBanner('chart', 'Penicillin');
  // Scrolled down the chart, the banner stays in view.
  await page.getByRole('region', { name: 'Demographics' }).scrollIntoViewIfNeeded();
  await expectBanner('chart, scrolled', 'Penicillin');

  await pageCall(page, 'documents.upload', { patientId: patient.id, title: 'Referral letter', mime: 'application/pdf', data: Buffer.from('%PDF-1.4\n%%EOF\n').toString('base64') });
  await openChart();
  await page.getByRole('button', { name: 'View Referral letter' }).click();
  const viewer = page.getByRole('dialog', { name: 'Referral letter' });
  await expect(viewer).toBeVisible();
  await expect(viewer.getByRole('region', { name: 'Patient banner' })).toContainText(`MRN ${patient.mrn}`);
  await page.screenshot({ path: `${shots}/banner-document.png` });
  await viewer.getByRole('button', { name: 'Close' }).click();

  await page.getByRole('button', { name: 'New encounter' }).click();
  await expect(page.getByRole('region', { name: 'SOAP note' })).toBeVisible();
  await expectBanner('note', 'Penicillin');
  await page.getByRole('region', { name: 'SOAP note' }).getByLabel('Assessment').fill('Cellulitis, left shin');
  await page.getByRole('region', { name: 'SOAP note' }).getByLabel('Plan').scrollIntoViewIfNeeded();
  await expectBanner('note, scrolled', 'Penicillin');
  await page.screenshot({ path: `${shots}/banner-note.png` });
  await page.getByRole('button', { name: 'Sign note' }).click();
  await page.getByRole('dialog', { name: 'Sign this note?' }).getByRole('button', { name: 'Sign note' }).click();
  await page.getByRole('button', { name: 'Visit summary (PDF)' }).click();
  await expectBanner('visit summary', 'Penicillin');
  await page.getByRole('button', { name: 'Back', exact: true }).click();
  await page.getByRole('button', { name: 'Back to chart' }).click();

  await page.getByRole('button', { name: 'Patient summary (PDF)' }).click();
  await expectBanner('patient summary', 'Penicillin');
  await page.getByRole('button', { name: 'Back', exact: true }).click();
  await page.getByRole('button', { name: 'Edit demographics' }).click();
  await expectBanner('demographics form', 'Penicillin');
});

test('a weight entered in kg is marked entered in error: struck through, off the plot, not the latest', async () => {
  const earlier = (hoursAgo: number) => new Date(clock.now().getTime() - hoursAgo * 3_600_000).toISOString();
  // Three days, one day and one hour ago: the plot's x positions follow time, not the row count.
  await pageCall(page, 'vitals.record', { patientId: patient.id, vitals: { takenAt: earlier(72), systolic: 128, diastolic: 82, heartRate: 72, weight: { value: 150, unit: 'lb' } } });
  await pageCall(page, 'vitals.record', { patientId: patient.id, vitals: { takenAt: earlier(24), systolic: 141, diastolic: 90 } });
  await openChart();
  // Entered for an earlier time from the form, in kg by mistake.
  const form = page.getByRole('form', { name: 'Record vitals' });
  await page.getByRole('region', { name: 'Vitals' }).getByText('°C · kg · cm').click();
  await form.getByLabel('Weight kg').fill('150');
  const hourAgo = new Date(clock.now().getTime() - 3_600_000);
  await form.getByLabel('Taken at').fill(`${localDate(hourAgo)}T${String(hourAgo.getHours()).padStart(2, '0')}:${String(hourAgo.getMinutes()).padStart(2, '0')}`);
  await form.getByRole('button', { name: 'Record vitals' }).click();
  await page.getByRole('region', { name: 'Vitals' }).getByText('°F · lb · in').click();
  const latest = page.getByRole('list', { name: 'Latest vitals' });
  await expect(latest).toContainText('330.7 lb');
  // "Latest" is the latest of each measure: blood pressure from one set, weight from another.
  await expect(latest).toContainText('141/90 mmHg');
  await expect(latest).toContainText('72 /min');
  await expect(page.getByRole('figure', { name: 'Weight trend' })).toHaveAttribute('data-points', '2');

  // Each measure on its own plot.
  for (const name of ['Blood pressure trend', 'Heart rate trend', 'Weight trend']) await expect(page.getByRole('figure', { name })).toBeVisible();
  const bpDots = page.getByRole('figure', { name: 'Blood pressure trend' }).locator('.recharts-line-dots').first().locator('circle');
  await expect(bpDots).toHaveCount(2);
  const weightDots = page.getByRole('figure', { name: 'Weight trend' }).locator('.recharts-line-dots').first().locator('circle');
  const xs = await Promise.all([0, 1].map(async (i) => Number(await weightDots.nth(i).getAttribute('cx'))));
  const bpXs = await Promise.all([0, 1].map(async (i) => Number(await bpDots.nth(i).getAttribute('cx'))));
  // On one time axis, 72 h → 24 h ago is 48 of the 71 hours the plots span.
  const [x0 = 0, x1 = 0] = xs;
  const [b0 = 0, b1 = 0] = bpXs;
  expect((b1 - b0) / (x1 - x0)).toBeCloseTo(48 / 71, 1);
  await page.getByRole('region', { name: 'Vitals' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}/vitals-before-correction.png` });

  const row = page.getByRole('row', { name: /^Vitals of .*/ }).filter({ hasText: '330.7' });
  await row.getByRole('button', { name: /entered in error/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Vitals entered in error' });
  await dialog.getByLabel('Reason').selectOption('Wrong unit (kg for lb, °C for °F)');
  await dialog.getByRole('button', { name: 'Mark entered in error' }).click();
  await expect(dialog).toBeHidden();
  const struck = page.getByRole('row', { name: /entered in error$/ });
  await expect(struck).toContainText('330.7');
  await expect(struck).toContainText('Wrong unit (kg for lb, °C for °F)');
  expect(await struck.getByRole('cell').nth(3).evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { textDecorationLine: string } }).getComputedStyle(el).textDecorationLine)).toContain('line-through');
  expect(await struck.getByText(/^Entered in error/).evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { textDecorationLine: string } }).getComputedStyle(el).textDecorationLine)).toBe('none');
  await expect(latest).toContainText('150 lb');
  await expect(latest).not.toContainText('330.7');
  await expect(page.getByRole('figure', { name: 'Weight trend' })).toHaveAttribute('data-points', '1');
  await page.screenshot({ path: `${shots}/vitals-after-correction.png` });
});

test('five wrong vitals are each named in words, at once, and nothing is recorded', async () => {
  await openChart();
  const form = page.getByRole('form', { name: 'Record vitals' });
  // The record's own count of vitals, then the table once it shows them all (header row included):
  // counting rows before the card has drawn them would count none.
  const recorded = (await pageCall<{ vitals: unknown[] }>(page, 'chart.summary', { patientId: patient.id })).value.vitals.length;
  const before = recorded === 0 ? 0 : recorded + 1;
  await expect(page.getByRole('table', { name: 'Vitals history' }).getByRole('row')).toHaveCount(before);
  for (const [label, value] of [['Systolic', '400'], ['Diastolic', '300'], ['Heart rate', '720'], ['Temp °F', '120'], ['SpO₂ %', '20']] as const) {
    await form.getByLabel(label).fill(value);
  }
  await form.getByRole('button', { name: 'Record vitals' }).click();
  const alert = form.getByRole('alert');
  for (const words of ['Systolic pressure is above', 'Diastolic pressure is above', 'Heart rate is above the plausible range (20–250 /min)', 'Temperature is above the plausible range (30–45 °C)', 'SpO₂ is below']) {
    await expect(alert).toContainText(words);
  }
  await expect(alert).not.toContainText(/temperatureC|heartRate|spo2/);
  // Each wrong field is marked on the field itself.
  for (const label of ['Systolic', 'Diastolic', 'Heart rate', 'Temp °F', 'SpO₂ %']) await expect(form.getByLabel(label)).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('table', { name: 'Vitals history' }).getByRole('row')).toHaveCount(before);
  await form.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}/vitals-errors.png` });
  for (const label of ['Systolic', 'Diastolic', 'Heart rate', 'Temp °F', 'SpO₂ %']) await form.getByLabel(label).fill('');
});

test('labs, medications and allergies are corrected with a reason and stay in the record', async () => {
  await pageCall(page, 'labs.add', { patientId: patient.id, lab: { test: 'Potassium', loinc: '2823-3', value: 9.9, unit: 'mmol/L', refLow: 3.5, refHigh: 5.1, collectedOn: localDate(clock.now()) } });
  await openChart();
  const labs = page.getByRole('region', { name: 'Lab results' });
  await labs.getByRole('button', { name: /Mark Potassium .* entered in error/ }).click();
  const labDialog = page.getByRole('dialog', { name: 'Lab result entered in error' });
  await labDialog.getByLabel('Reason').selectOption('Sample haemolysed or contaminated');
  await labDialog.getByRole('button', { name: 'Mark entered in error' }).click();
  await expect(labs.getByRole('row', { name: /Potassium .*entered in error/ })).toContainText('Sample haemolysed');
  await expect(labs.getByText('high', { exact: true })).toHaveCount(0);

  await page.getByRole('button', { name: 'Inactivate Cephalexin 500 mg' }).click();
  const medDialog = page.getByRole('dialog', { name: 'Inactivate medication' });
  await medDialog.getByLabel('Reason').selectOption('Other (say why)');
  await medDialog.getByLabel('Why').fill('Course finished early, rash resolved');
  await medDialog.getByRole('button', { name: 'Inactivate' }).click();
  await expect(page.getByRole('table', { name: 'Medications' })).not.toContainText('Cephalexin');
  await page.getByRole('button', { name: 'Show inactive (1)' }).first().click();
  await expect(page.getByRole('list', { name: 'Inactive medications' })).toContainText('Course finished early, rash resolved');

  await page.getByRole('button', { name: 'Inactivate allergy to Sulfa drugs' }).click();
  const allergyDialog = page.getByRole('dialog', { name: 'Inactivate allergy' });
  await allergyDialog.getByLabel('Reason').selectOption('An intolerance, not an allergy');
  await allergyDialog.getByRole('button', { name: 'Inactivate' }).click();
  await expect(banner().getByRole('group', { name: 'Allergies' })).not.toContainText('Sulfa');
  const allergies: Locator = page.getByRole('region', { name: 'Allergies' });
  await allergies.getByRole('button', { name: 'Show inactive (1)' }).click();
  await expect(page.getByRole('list', { name: 'Inactive allergies' })).toContainText('An intolerance, not an allergy');
  await page.getByRole('region', { name: 'Medications' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}/corrections.png` });
});

test('a physician books the follow-up from the chart, the patient and provider filled in', async () => {
  await openChart();
  await page.getByRole('button', { name: 'Book follow-up' }).click();
  const dialog = page.getByRole('dialog', { name: 'Book an appointment' });
  await expect(dialog.getByRole('combobox', { name: 'Patient' })).toHaveValue(new RegExp(`Abernathy-Quill, Zanele .* MRN ${patient.mrn}`));
  await expect(dialog.getByLabel('Provider')).toHaveValue(/.+/);
  await expect(dialog.getByLabel('Provider').locator('option:checked')).toHaveText('Dr Ada Okafor');
  const nextWeek = new Date(clock.now().getTime() + 7 * 86_400_000);
  await dialog.getByLabel('Date').fill(localDate(nextWeek));
  await dialog.getByLabel('Time').fill('11:00');
  await dialog.getByLabel('Reason for visit').fill('Cellulitis review');
  await dialog.getByRole('button', { name: 'Book', exact: true }).click();
  const anyway = dialog.getByRole('button', { name: 'Book anyway' });
  await Promise.race([dialog.waitFor({ state: 'hidden' }), anyway.waitFor({ state: 'visible' })]);
  if (await anyway.isVisible()) await anyway.click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('region', { name: 'Upcoming appointments' })).toContainText('11:00 · Dr Ada Okafor');
});

test('a physician writes a note template, edits it, and a new note starts from it', async () => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Note templates', exact: true }).click();
  await expect(page.getByText('No templates yet. Write the first one.')).toBeVisible();
  const form = page.getByRole('region', { name: 'New template' });
  await form.getByLabel('Template name').fill('Cellulitis follow-up');
  await form.getByLabel('Subjective').fill('Redness since last visit:');
  await form.getByLabel('Plan').fill('Continue antibiotics; review in 7 days.');
  await form.getByRole('button', { name: 'Save template' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved “Cellulitis follow-up”.' })).toBeVisible();
  const editing = page.getByRole('region', { name: 'Edit template Cellulitis follow-up' });
  await editing.getByLabel('Objective').fill('Margin marked:');
  await editing.getByRole('button', { name: 'Save template' }).click();
  await expect(page.getByRole('navigation', { name: 'Templates' }).getByRole('button', { name: 'Cellulitis follow-up' })).toBeVisible();
  await page.screenshot({ path: `${shots}/templates.png` });

  await openChart();
  await page.getByRole('button', { name: 'New encounter' }).click();
  const note = page.getByRole('region', { name: 'SOAP note' });
  await note.getByLabel('Start from a template').selectOption({ label: 'Cellulitis follow-up' });
  await expect(note.getByLabel('Subjective')).toHaveValue('Redness since last visit:');
  await expect(note.getByLabel('Objective')).toHaveValue('Margin marked:');
  await expect(note.getByLabel('Plan')).toHaveValue('Continue antibiotics; review in 7 days.');
});

test('an 11-day-old shows as 11 days old', async () => {
  const born = new Date(clock.now().getTime() - 11 * 86_400_000);
  await registerByCall(page, { familyName: 'Tinyton', givenNames: 'Baby', dateOfBirth: localDate(born) });
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Patients', exact: true }).click();
  await page.getByRole('combobox', { name: 'Find a patient' }).fill('Tinyton');
  await page.getByRole('option', { name: /Tinyton/ }).click();
  await expect(banner()).toContainText('11 days');
  await expect(banner()).not.toContainText('0 years');
});
