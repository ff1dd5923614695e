// E2E steps many specs share, done through the UI as a person would: set up a new clinic on a
// browser host (on its own, or connected to a tenant service with the setup code, storing the
// recovery code), sign in, register a patient, and book a video visit.
import { expect, type Page } from '@playwright/test';
import { localDate, localTime } from './test-clock';

export const e2ePassword = 'maple-street-admin-2026';

export const mainNav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true });

/** Fills in the sign-in page and sends it (the answer may be a refusal). */
export async function sendSignIn(page: Page, username = 'ada', password = e2ePassword) {
  await page.getByLabel('Username').fill(username);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Signs in and waits for the app. */
export async function signIn(page: Page, username = 'ada', password = e2ePassword) {
  await sendSignIn(page, username, password);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible({ timeout: 15_000 });
}

type Role = 'Physician' | 'Nurse' | 'Front desk';

/** Fills in and sends the setup page: Maple Street, whose admin `ada` (named `adminName`) also holds `roles`. */
async function createClinic(page: Page, hostUrl: string | null, roles: readonly Role[], adminName = 'Ada Admin') {
  if (hostUrl) await page.goto(hostUrl);
  await page.getByLabel('Clinic name').fill('Maple Street');
  await page.getByLabel('Your full name').fill(adminName);
  await page.getByLabel('Username').fill('ada');
  for (const role of roles) await page.getByRole('checkbox', { name: role }).check();
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(e2ePassword);
  await page.getByLabel('Confirm password').fill(e2ePassword);
  await page.getByRole('button', { name: 'Create clinic' }).click();
}

/** A new clinic on a host with its embedded cloud, its recovery code stored; Ada is signed in. */
export async function setUpClinic(page: Page, opts: { hostUrl: string; roles: readonly Role[]; adminName?: string }) {
  await createClinic(page, opts.hostUrl, opts.roles, opts.adminName);
  await page.getByRole('button', { name: 'I have stored the recovery code' }).click();
}

/**
 * A new clinic whose admin Ada also holds the given roles, connected to the cloud as its first
 * workstation. `hostUrl` null: the page is already on the app (the Electron window).
 */
export async function setUpConnectedClinic(page: Page, opts: { hostUrl: string | null; cloudUrl: string; setupCode: string; roles: readonly Role[] }) {
  await createClinic(page, opts.hostUrl, opts.roles);
  await mainNav(page, 'Workstations').click();
  const connect = page.getByRole('form', { name: 'Connect this workstation' });
  await connect.getByLabel('Cloud address').fill(opts.cloudUrl);
  await connect.getByLabel('Code').fill(opts.setupCode);
  await connect.getByLabel('Name of this workstation').fill('Front desk');
  await connect.getByRole('button', { name: 'Connect' }).click();
  // Read as the admin would, off the screen, before putting it away.
  const recoveryCode = (await page.getByLabel('Recovery code', { exact: true }).textContent())?.trim() ?? '';
  await page.getByRole('button', { name: 'I have stored the recovery code' }).click();
  return { recoveryCode };
}

/** A second workstation joins the clinic from its setup page with a code the first made (`devices.enrollCode`). */
export async function joinWorkstation(page: Page, hostUrl: string, code: { code: string; cloudUrl: string }, name: string) {
  await page.goto(hostUrl);
  await page.getByRole('tab', { name: 'Join your clinic' }).click();
  const form = page.getByRole('form', { name: 'Join your clinic' });
  await form.getByLabel('Cloud address').fill(code.cloudUrl);
  await form.getByLabel('Code').fill(code.code);
  await form.getByLabel('Name of this workstation').fill(name);
  await form.getByRole('button', { name: 'Join clinic' }).click();
  await expect(page.getByText('This workstation joined Maple Street.')).toBeVisible({ timeout: 30_000 });
}

export async function registerPatient(page: Page, p: { family: string; given: string; dob: string }) {
  await mainNav(page, 'Patients').click();
  await page.getByRole('button', { name: 'Register patient' }).click();
  await page.getByLabel('Family name').fill(p.family);
  await page.getByLabel('Given names').fill(p.given);
  await page.getByLabel('Date of birth').fill(p.dob);
  await page.getByRole('button', { name: 'Register patient' }).click();
  await expect(page.getByRole('region', { name: 'Patient banner' })).toContainText(p.family);
}

/** Books a video visit at `at` (local time) for the patient found by `search`; answers its HH:MM. */
export async function bookVideoVisit(page: Page, search: string, at: Date): Promise<string> {
  const time = localTime(at);
  await mainNav(page, 'Schedule').click();
  await page.getByRole('button', { name: 'Book appointment' }).click();
  const book = page.getByRole('dialog', { name: 'Book an appointment' });
  await book.getByRole('combobox', { name: 'Patient' }).fill(search);
  await page.getByRole('option', { name: new RegExp(search, 'i') }).click();
  await book.getByLabel('Appointment type').selectOption({ label: 'Video visit (20 min, video)' });
  await book.getByLabel('Date').fill(localDate(at));
  await book.getByLabel('Time').fill(time);
  await book.getByRole('button', { name: 'Book', exact: true }).click();
  // Outside clinic hours (an early or late test run) the booking asks for a confirmation first.
  const anyway = book.getByRole('button', { name: 'Book anyway' });
  await Promise.race([book.waitFor({ state: 'hidden' }), anyway.waitFor({ state: 'visible' })]);
  if (await anyway.isVisible()) await anyway.click();
  await expect(book).toBeHidden();
  return time;
}
