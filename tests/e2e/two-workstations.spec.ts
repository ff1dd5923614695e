// Two workstations of one clinic (two browser hosts, one tenant service process): the second
// joins empty from its setup page and the admin signs in there with the password she uses on
// the first; a patient registered on one is found on the other within 2 seconds; with the cloud
// stopped both keep working and say they are offline; when it returns they converge unaided, and
// a patient registered on both while offline is flagged and merged by a person.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, followRunClock, test } from '../helpers/e2e-test';
import { type HostProcess, startHostProcess } from '../helpers/browser-host-process';
import { type CloudProcess, createTenantInDir, startCloudProcess } from '../helpers/cloud-process';

const password = 'maple-street-admin-2026';
let hosts: HostProcess[] = [];
let cloud: CloudProcess | undefined;
let cloudDir: string;

test.afterEach(async () => {
  for (const h of hosts) await h.stop();
  hosts = [];
  await cloud?.stop();
  await rm(cloudDir, { recursive: true, force: true });
});

async function register(page: Page, familyName: string, givenNames: string, dateOfBirth: string) {
  await page.getByRole('button', { name: 'Patients' }).click();
  await page.getByRole('button', { name: 'Register patient' }).click();
  await page.getByLabel('Family name').fill(familyName);
  await page.getByLabel('Given names').fill(givenNames);
  await page.getByLabel('Date of birth').fill(dateOfBirth);
  await page.getByRole('button', { name: 'Register patient' }).click();
  await expect(page.getByRole('region', { name: 'Patient banner' }).getByRole('heading', { name: new RegExp(familyName) })).toBeVisible();
  await page.getByRole('button', { name: 'Back to search' }).click();
}

/** Searches until the patient shows, for at most `ms`. */
async function expectFound(page: Page, name: string, ms: number) {
  const box = page.getByRole('combobox', { name: 'Find a patient' });
  await expect(async () => {
    await box.fill('');
    // Longer than the search box's debounce, so the retyped query is searched afresh.
    await page.waitForTimeout(200);
    await box.fill(name);
    await expect(page.getByRole('listbox', { name: 'Search results' })).toContainText(name, { timeout: 700 });
  }).toPass({ timeout: ms, intervals: [100] });
}

test('a patient registered on one workstation is found on the other; both work offline and converge', async ({ browser }) => {
  cloudDir = await mkdtemp(join(tmpdir(), 'chartroom-cloud-e2e-'));
  const setupCode = await createTenantInDir(cloudDir, 'Maple Street');
  const first = await startCloudProcess(cloudDir);
  cloud = first;
  hosts = [await startHostProcess(undefined, ['--no-cloud']), await startHostProcess(undefined, ['--no-cloud'])];
  const [hostA, hostB] = hosts as [HostProcess, HostProcess];
  // One browser context each, as two workstations are two machines.
  const contexts = [await browser.newContext(), await browser.newContext()];
  for (const c of contexts) await followRunClock(c);
  const [a, b] = [await contexts[0]!.newPage(), await contexts[1]!.newPage()];

  // Workstation A: a new clinic, connected with the tenant's setup code.
  await a.goto(hostA.url);
  await a.getByLabel('Clinic name').fill('Maple Street');
  await a.getByLabel('Your full name').fill('Ada Admin');
  await a.getByLabel('Username').fill('ada');
  await a.getByRole('checkbox', { name: 'Front desk' }).check();
  await a.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
  await a.getByLabel('Confirm password').fill(password);
  await a.getByRole('button', { name: 'Create clinic' }).click();
  await a.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Workstations', exact: true }).click();
  const connect = a.getByRole('form', { name: 'Connect this workstation' });
  await connect.getByLabel('Cloud address').fill(first.url);
  await connect.getByLabel('Code').fill(setupCode);
  await connect.getByLabel('Name of this workstation').fill('Front desk');
  await connect.getByRole('button', { name: 'Connect' }).click();
  await a.getByRole('button', { name: 'I have stored the recovery code' }).click();
  await a.getByRole('button', { name: 'Code for another workstation' }).click();
  const code = (await a.getByLabel('Enrollment code').textContent()) ?? '';
  // The address to join at is shown beside the code, not left to be found in the data dir.
  const address = (await a.getByLabel('Cloud address to join').textContent()) ?? '';
  expect(address).toBe(first.url);

  // Workstation B joins the clinic empty; Ada signs in there with her own password. The first
  // workstation's own page is not a clinic cloud, and B says so plainly.
  await b.goto(hostB.url);
  await b.getByRole('tab', { name: 'Join your clinic' }).click();
  const joinForm = b.getByRole('form', { name: 'Join your clinic' });
  await joinForm.getByLabel('Cloud address').fill(new URL(hostA.url).origin);
  await joinForm.getByLabel('Code').fill(code);
  await joinForm.getByLabel('Name of this workstation').fill('Exam room 1');
  await joinForm.getByRole('button', { name: 'Join clinic' }).click();
  await expect(joinForm.getByRole('alert')).toContainText(`No Chartroom clinic cloud answers at ${new URL(hostA.url).origin}`);
  await joinForm.getByLabel('Cloud address').fill(address);
  await joinForm.getByRole('button', { name: 'Join clinic' }).click();
  await expect(b.getByText('This workstation joined Maple Street.')).toBeVisible({ timeout: 30_000 });
  await b.getByLabel('Username').fill('ada');
  await b.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
  await b.getByRole('button', { name: 'Sign in' }).click();
  await expect(b.getByRole('button', { name: /^Sync: Synced/ })).toBeVisible({ timeout: 10_000 });
  await expect(a.getByRole('table', { name: 'Workstations' })).toContainText('Front desk');

  // Live: registered on A, found on B within 2 seconds.
  await register(a, 'Quorthwyx', 'Perpetua', '1961-03-14');
  await b.getByRole('button', { name: 'Patients' }).click();
  await expectFound(b, 'Quorthwyx', 2_000);

  // The cloud stops: both say so, and both keep registering patients.
  await first.stop();
  await expect(a.getByRole('button', { name: /^Sync: Offline/ })).toBeVisible({ timeout: 10_000 });
  await expect(b.getByRole('button', { name: /^Sync: Offline/ })).toBeVisible({ timeout: 10_000 });
  await register(a, 'Offlinea', 'Amadou', '1970-01-01');
  await register(b, 'Offlineb', 'Bronagh', '1980-02-02');
  await register(a, 'Twinsworth', 'Imogen', '1990-09-09');
  await register(b, 'Twinsworth', 'Imogen', '1990-09-09');
  await expect(a.getByRole('button', { name: /^Sync: Offline, \d+ changes? waiting/ })).toBeVisible({ timeout: 10_000 });
  await expect(b.getByRole('button', { name: /^Sync: Offline, \d+ changes? waiting/ })).toBeVisible({ timeout: 10_000 });

  // It comes back where it was: both catch up with no one pressing anything.
  cloud = await startCloudProcess(cloudDir, first.port);
  await expect(a.getByRole('button', { name: /^Sync: Synced [0-9:]+\. Sync now$/ })).toBeVisible({ timeout: 30_000 });
  await expect(b.getByRole('button', { name: /^Sync: Synced [0-9:]+\. Sync now$/ })).toBeVisible({ timeout: 30_000 });
  await expectFound(a, 'Offlineb', 10_000);
  await expectFound(b, 'Offlinea', 10_000);

  // The same person registered on both: flagged, compared and merged by a person.
  await a.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Sync conflicts' }).click();
  await a.getByRole('row', { name: /Possible duplicate patient/ }).getByRole('button', { name: 'Compare and merge' }).click();
  const dialog = a.getByRole('dialog', { name: 'Possible duplicate patient' });
  await expect(dialog.getByRole('table', { name: 'Records compared' })).toContainText('Twinsworth, Imogen');
  expect((await new AxeBuilder({ page: a }).withTags(['wcag2a', 'wcag2aa']).analyze()).violations.map((v) => `${v.id} ${v.nodes.map((n) => n.target.join(' ') + ' ' + n.failureSummary).join(' | ')}`)).toEqual([]);
  await dialog.getByLabel('Why these are the same patient').fill('Same name and date of birth; registered at both desks while offline');
  await dialog.getByRole('button', { name: 'Merge records' }).click();
  await expect(a.getByText('Nothing to resolve.')).toBeVisible();
  await a.getByRole('button', { name: 'Patients' }).click();
  await expectFound(a, 'Twinsworth', 5_000);
  await expect(a.getByRole('listbox', { name: 'Search results' }).getByRole('option')).toHaveCount(1);
  await b.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Sync conflicts' }).click();
  await expect(b.getByText('Nothing to resolve.')).toBeVisible({ timeout: 5_000 });
});
