// Every workstation lost (issue 12, point 3), at 1366×768: the clinic's only workstation is
// wiped (its host stopped, its data dir deleted). On a clean machine, IT chooses *Restore the
// clinic* on the setup page with the cloud's address, the clinic's ID and the recovery code; the
// clinic is rebuilt and checked, and the admin signs in with her own password and finds the
// patients registered before the loss.
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { startHostProcess } from '../helpers/browser-host-process';
import { createTenantInDir, startCloudProcess } from '../helpers/cloud-process';
import { pageCall } from '../helpers/e2e-api';
import { e2ePassword, mainNav, registerPatient, setUpConnectedClinic } from '../helpers/e2e-clinic';
import { expect, followRunClock, test } from '../helpers/e2e-test';

const shots = 'test-results/restore-from-cloud';

test('every workstation lost: the clinic restored on a clean machine with the recovery code', async ({ browser }) => {
  test.setTimeout(120_000);
  await mkdir(shots, { recursive: true });
  const cloudDir = await mkdtemp(join(tmpdir(), 'chartroom-cloud-e2e-'));
  const setupCode = await createTenantInDir(cloudDir, 'Maple Street');
  const cloud = await startCloudProcess(cloudDir);
  const lost = await startHostProcess(undefined, ['--no-cloud']);
  let rebuilt: Awaited<ReturnType<typeof startHostProcess>> | undefined;
  try {
    const context = await browser.newContext();
    await followRunClock(context);
    const page = await context.newPage();
    const { recoveryCode } = await setUpConnectedClinic(page, { hostUrl: lost.url, cloudUrl: cloud.url, setupCode, roles: ['Front desk'] });
    const clinicId = (await page.getByLabel('Clinic ID').textContent())?.trim() ?? '';
    await registerPatient(page, { family: 'Quarles', given: 'Imogen', dob: '1961-04-12' });
    await registerPatient(page, { family: 'Ruskin', given: 'Otto', dob: '1955-10-30' });
    await expect.poll(async () => (await pageCall<{ pending: number }>(page, 'sync.now', {})).value.pending, { timeout: 15_000 }).toBe(0);
    // The workstation is lost, with everything on it.
    await lost.stop();
    await rm(lost.dataDir, { recursive: true, force: true });

    rebuilt = await startHostProcess(undefined, ['--no-cloud']);
    await page.goto(rebuilt.url);
    await page.getByRole('tab', { name: 'Restore the clinic' }).click();
    const form = page.getByRole('form', { name: 'Restore the clinic' });
    await form.getByLabel('Cloud address').fill(cloud.url);
    await form.getByLabel('Clinic ID').fill(clinicId);
    await form.getByLabel('Recovery code').fill('AAAAAAAA-BBBBBBBB-CCCCCCCC-DDDDDDDD');
    await form.getByLabel('Name of this workstation').fill('Front desk (rebuilt)');
    await form.getByRole('button', { name: 'Restore the clinic' }).click();
    await expect(form.getByRole('alert')).toContainText('That recovery code is not this clinic’s', { timeout: 30_000 });
    expect((await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()).violations).toEqual([]);
    await page.screenshot({ path: `${shots}/wrong-code.png` });
    await form.getByLabel('Recovery code').fill(recoveryCode);
    await form.getByRole('button', { name: 'Restore the clinic' }).click();
    await expect(page.getByText(/Maple Street was restored here: 2 patients, every check passed\./)).toBeVisible({ timeout: 60_000 });
    await page.screenshot({ path: `${shots}/restored.png` });

    await page.getByLabel('Username').fill('ada');
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(e2ePassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await mainNav(page, 'Patients').click();
    await page.getByRole('combobox', { name: 'Find a patient' }).fill('Quarles');
    await expect(page.getByRole('listbox', { name: 'Search results' }).getByRole('option', { name: /Quarles/ })).toBeVisible();
    await mainNav(page, 'Workstations').click();
    await expect(page.getByRole('table', { name: 'Workstations' })).toContainText('Front desk (rebuilt)');
    await page.screenshot({ path: `${shots}/signed-in.png` });
  } finally {
    await rebuilt?.stop();
    await lost.stop().catch(() => undefined);
    await cloud.stop();
    await rm(cloudDir, { recursive: true, force: true });
  }
});
