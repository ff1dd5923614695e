// The front desk's search and the admin's settings at 1366×768: an MRN typed without its
// leading zero, an exact family name ranked first, the query kept on the way back from a chart,
// no empty results box; an auto-lock value out of range refused with the range, not moved into it.
import { mkdir } from 'node:fs/promises';
import { expect, type Page, test } from '@playwright/test';
import { setUpClinic } from '../helpers/e2e-clinic';
import { type HostProcess, startHostProcess } from '../helpers/browser-host-process';
import { pageCall, registerByCall } from '../helpers/e2e-api';
import { setPageClock, testClock } from '../helpers/test-clock';

test.describe.configure({ mode: 'serial' });
const clock = testClock();
const shots = 'test-results/search-and-settings';
let host: HostProcess;
let page: Page;
let kaitlin: { id: string; mrn: string };

test.beforeAll(async ({ browser }) => {
  await mkdir(shots, { recursive: true });
  host = await startHostProcess(undefined, [], { clock });
  page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await setPageClock(page.context(), clock);
  await setUpClinic(page, { hostUrl: host.url, roles: ['Front desk', 'Physician'] });
  await registerByCall(page, { familyName: 'Smitham', givenNames: 'Ardith', dateOfBirth: '1971-07-07' });
  await registerByCall(page, { familyName: 'Smithers', givenNames: 'Waylon', dateOfBirth: '1950-05-05' });
  kaitlin = await registerByCall(page, { familyName: 'Smith', givenNames: 'Kaitlin', dateOfBirth: '1993-03-03' });
});
test.afterAll(async () => { await page.close(); await host.stop(); });

const nav = (name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true });
const search = () => page.getByRole('combobox', { name: 'Find a patient' });

test('search: exact family name first, MRN without its zero, the query kept, no empty box', async () => {
  await nav('Patients').click();
  await search().fill('smith');
  const options = page.getByRole('listbox', { name: 'Search results' }).getByRole('option');
  await expect(options).toHaveCount(3);
  await expect(options.first()).toContainText('Smith, Kaitlin');

  expect(kaitlin.mrn.startsWith('0')).toBe(true);
  await search().fill(kaitlin.mrn.replace(/^0+/, ''));
  await expect(options).toHaveCount(1);
  await expect(options.first()).toContainText('Smith, Kaitlin');
  await options.first().click();
  await expect(page.getByRole('region', { name: 'Patient banner' })).toContainText(kaitlin.mrn);
  await page.getByRole('button', { name: 'Back to search' }).click();
  await expect(search()).toHaveValue(kaitlin.mrn.replace(/^0+/, ''));
  await expect(options).toHaveCount(1);

  await search().fill('zzqx');
  await expect(page.getByRole('status').filter({ hasText: 'No patient matches' })).toBeVisible();
  await expect(page.getByRole('listbox', { name: 'Search results' })).toBeHidden();
  await page.screenshot({ path: `${shots}/no-match.png` });
});

test('settings: an auto-lock out of range is refused with the range, and the saved value stays', async () => {
  await nav('Settings').click();
  const field = page.getByLabel('Lock the screen after inactivity (seconds)');
  await expect(field).toHaveValue('600');
  await expect(page.getByText(/Applies to every user on every workstation of the clinic/)).toBeVisible();
  for (const typed of ['5', '100000']) {
    await field.fill(typed);
    await field.blur();
    await expect(field, 'not moved into the range').toHaveValue(typed);
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByText(/Choose from 15 seconds to 8 hours/)).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toHaveCount(0);
  }
  await page.screenshot({ path: `${shots}/auto-lock-refused.png` });
  expect((await pageCall<{ autoLockSeconds: number }>(page, 'settings.get', {})).value.autoLockSeconds).toBe(600);
  await field.fill('900');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  expect((await pageCall<{ autoLockSeconds: number }>(page, 'settings.get', {})).value.autoLockSeconds).toBe(900);
});

test('one time format, a clinic setting: 12-hour in the dialog, the schedule and the audit log alike', async () => {
  await nav('Settings').click();
  await page.getByRole('radio', { name: '12-hour (2:30 PM)' }).check();
  await page.getByRole('button', { name: 'Save time format' }).click();
  await expect(page.getByRole('form', { name: 'Times' }).getByRole('status')).toHaveText('Saved.');
  await nav('Schedule').click();
  // The hour labels follow the setting.
  await expect(page.locator('[data-testid="schedule-hours"]').getByText('9:00 AM')).toBeVisible();
  await page.getByRole('button', { name: 'Book appointment' }).click();
  const dialog = page.getByRole('dialog', { name: 'Book an appointment' });
  await dialog.getByRole('combobox', { name: 'Patient' }).fill('Smith Kaitlin');
  await page.getByRole('option', { name: /Smith, Kaitlin/ }).click();
  await expect(dialog.getByLabel('Time')).toHaveValue('9:00 AM');
  // Typed the way a person says it.
  await dialog.getByLabel('Time').fill('2:30 pm');
  await dialog.getByRole('button', { name: 'Book', exact: true }).click();
  const anyway = dialog.getByRole('button', { name: 'Book anyway' });
  await Promise.race([dialog.waitFor({ state: 'hidden' }), anyway.waitFor({ state: 'visible' })]);
  if (await anyway.isVisible()) await anyway.click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('button', { name: /^2:30 PM Smith, Kaitlin/ })).toBeVisible();
  await page.screenshot({ path: `${shots}/schedule-12h.png` });
  await nav('Audit log').click();
  const when = page.getByRole('table', { name: 'Audit entries' }).getByRole('row').nth(1).getByRole('cell').first();
  await expect(when).toHaveText(/^[A-Z][a-z]{2} \d{1,2}, \d{4} \d{1,2}:\d\d (AM|PM)$/);
});
