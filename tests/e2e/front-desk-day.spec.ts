// A newcomer's first hour, in Chromium through the browser host: set up the clinic, add a
// front-desk user, register and find patients, the duplicate warning, sign-out and auto-lock.
import type { Page } from '@playwright/test';
import { expect, test } from '../helpers/e2e-test';
import { type HostProcess, startHostProcess } from '../helpers/browser-host-process';

let host: HostProcess;
test.beforeEach(async () => { host = await startHostProcess(); });
test.afterEach(async () => { await host.stop(); });

const adminPassword = 'maple-street-admin-2026';
const deskPassword = 'front-desk-passphrase-9';

async function signIn(page: Page, username: string, password: string) {
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.getByLabel('Username').fill(username);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
}

async function search(page: Page, query: string) {
  const box = page.getByRole('combobox', { name: 'Find a patient' });
  await box.fill(query);
  return page.getByRole('listbox', { name: 'Search results' });
}

test('front desk signs in, registers, is warned of a duplicate, finds the patient, and the session locks itself', async ({ page }) => {
  await page.goto(host.url);

  // First-run setup creates the clinic and its admin, who is signed in straight away.
  await expect(page.getByRole('heading', { name: 'Set up Chartroom' })).toBeVisible();
  await page.getByLabel('Clinic name').fill('Maple Street Family Practice');
  await page.getByLabel('Your full name').fill('Ada Admin');
  await page.getByLabel('Username').fill('ada');
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(adminPassword);
  await page.getByLabel('Confirm password').fill(adminPassword);
  await page.getByRole('button', { name: 'Create clinic' }).click();
  // The embedded local cloud enrolled this first workstation: its recovery code is shown once.
  await expect(page.getByLabel('Recovery code', { exact: true })).toHaveText(/^[0-9A-Z]{8}(-[0-9A-Z]{8}){3}$/);
  await page.getByRole('button', { name: 'I have stored the recovery code' }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Users', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible();
  // A practice admin without a clinical role does not see patients.
  await expect(page.getByRole('button', { name: 'Patients' })).toHaveCount(0);

  // The admin adds a front-desk user.
  const addUser = page.getByRole('form', { name: 'Add a user' });
  await addUser.getByLabel('Full name').fill('Fran Desk');
  await addUser.getByLabel('Username').fill('fran');
  await addUser.getByLabel('Initial password').fill(deskPassword);
  await addUser.getByRole('button', { name: 'Add user' }).click();
  await expect(page.getByRole('cell', { name: 'fran', exact: true })).toBeVisible();
  await signOut(page);

  // Front desk registers a patient.
  await signIn(page, 'fran', deskPassword);
  // The front desk starts the day on today's queue.
  await expect(page.getByRole('heading', { name: 'Today' })).toBeVisible();
  await page.getByRole('button', { name: 'Patients' }).click();
  await page.getByRole('button', { name: 'Register patient' }).click();
  await page.getByLabel('Family name').fill('Abernathy-Quill');
  await page.getByLabel('Given names').fill('Zanele Mireille');
  await page.getByLabel('Date of birth').fill('1984-06-02');
  await page.getByLabel('Phone', { exact: true }).fill('(555) 201-4477');
  await page.getByLabel('Payer').fill('Harbor Health Plan');
  await page.getByRole('button', { name: 'Register patient' }).click();
  const header = page.getByRole('region', { name: 'Patient banner' });
  await expect(header.getByRole('heading', { name: /Abernathy-Quill, Zanele Mireille/ })).toBeVisible();
  await expect(header).toContainText(/MRN \d{9}/);
  // The front desk does not see the clinical record, allergies included.
  await expect(header.getByRole('group', { name: 'Allergies' })).toContainText('not available to your role');

  // Registering the same person again (a typo in the name) shows the duplicate warning.
  await page.getByRole('button', { name: 'Back to search' }).click();
  await page.getByRole('button', { name: 'Register patient' }).click();
  await page.getByLabel('Family name').fill('Abernathy-Quil');
  await page.getByLabel('Given names').fill('Zanele');
  await page.getByLabel('Date of birth').fill('1984-06-02');
  await page.getByRole('button', { name: 'Register patient' }).click();
  const warning = page.getByRole('dialog', { name: 'This patient may already be registered' });
  await expect(warning).toBeVisible();
  await expect(warning.getByRole('table', { name: 'Possible duplicates' })).toContainText('Abernathy-Quill, Zanele Mireille');
  await warning.getByRole('button', { name: 'Back to the form' }).click();
  await page.getByRole('button', { name: 'Cancel' }).click();

  // Search finds her by part of the name, by date of birth and by phone.
  for (const query of ['zanel', 'abernathy', '06/02/1984', '1984-06-02', '555 201 4477', '2014477']) {
    const results = await search(page, query);
    await expect(results.getByRole('option').first(), `search "${query}"`).toContainText('Abernathy-Quill, Zanele Mireille');
  }
  // Keyboard: Enter opens the highlighted result.
  await search(page, 'quill');
  await expect(page.getByRole('option').first()).toContainText('Abernathy-Quill');
  await page.getByRole('combobox', { name: 'Find a patient' }).press('Enter');
  await expect(header).toBeVisible();
  await signOut(page);

  // The admin shortens the auto-lock, then the front desk's idle session locks itself.
  await signIn(page, 'ada', adminPassword);
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Lock the screen after inactivity (seconds)').fill('15');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
  await signOut(page);

  await signIn(page, 'fran', deskPassword);
  await page.getByRole('button', { name: 'Patients' }).click();
  await expect(page.getByRole('heading', { name: 'Patients' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Session locked' })).toBeVisible({ timeout: 25_000 });
  await expect(page.getByText('Abernathy')).toHaveCount(0);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill('not the password');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('alert')).toContainText('not right');
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(deskPassword);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('heading', { name: 'Patients' })).toBeVisible();
});
