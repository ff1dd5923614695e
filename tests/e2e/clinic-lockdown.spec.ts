// Lock down the clinic (issue 12, point 2), at 1366×768: two workstations of one clinic (two
// browser hosts, one tenant service process), the same admin signed in at both. The admin locks
// the clinic down from the front desk's Workstations page; both screens show the lockdown within
// 2 s and offer no sign-in. IT then lifts the exam room alone with `admin lockdown` and the
// recovery code (the real CLI, with the clinic ID read off the Workstations page): its screen
// gives way to the sign-in by itself, and the admin works there again; the front desk stays locked.
import { mkdir } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from '../helpers/e2e-test';
import { mainNav, signIn } from '../helpers/e2e-clinic';
import { adminLockdown } from '../helpers/e2e-it';
import { type TwoWorkstations, twoWorkstations } from '../helpers/e2e-workstations';

const shots = 'test-results/clinic-lockdown';
let clinic: TwoWorkstations | undefined;

test.afterEach(async () => {
  await clinic?.stop();
  clinic = undefined;
});

const axe = async (page: Page) => (await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()).violations;

test('an admin locks every workstation down at once; IT lifts one with the recovery code', async ({ browser }) => {
  test.setTimeout(120_000);
  await mkdir(shots, { recursive: true });
  clinic = await twoWorkstations(browser);
  const { a, b, cloud, recoveryCode } = clinic;
  await signIn(b);

  await mainNav(a, 'Workstations').click();
  const clinicId = (await a.getByLabel('Clinic ID').textContent())?.trim() ?? '';
  expect(clinicId).toMatch(/^[0-9a-f-]{36}$/);
  await a.getByRole('button', { name: 'Lock down the clinic' }).click();
  const confirm = a.getByRole('dialog', { name: 'Lock down every workstation?' });
  await expect(confirm).toBeVisible();
  expect(await axe(a)).toEqual([]);
  await a.screenshot({ path: `${shots}/confirm.png` });
  const asked = Date.now();
  await confirm.getByRole('button', { name: 'Lock down every workstation' }).click();

  const heading = (p: Page) => p.getByRole('heading', { name: 'This clinic is locked down' });
  await Promise.all([expect(heading(a)).toBeVisible({ timeout: 2_000 }), expect(heading(b)).toBeVisible({ timeout: 2_000 })]);
  expect(Date.now() - asked).toBeLessThan(2_500);
  for (const [page, name] of [[a, 'front-desk'], [b, 'exam-room']] as const) {
    await expect(page.getByRole('alert')).toContainText('An admin locked down every workstation from “Front desk”');
    await expect(page.getByRole('button', { name: 'Sign in' })).toHaveCount(0);
    await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0);
    const box = await page.getByRole('alert').boundingBox();
    expect(box && box.y + box.height).toBeLessThanOrEqual(768);
    await page.screenshot({ path: `${shots}/${name}-locked.png` });
  }
  expect(await axe(b)).toEqual([]);
  // A reload does not get around it.
  await b.reload();
  await expect(heading(b)).toBeVisible();

  // IT, with the recovery code: the list, then the exam room lifted.
  const listed = await adminLockdown(recoveryCode, '--cloud', cloud.url, '--clinic', clinicId, '--status');
  expect(listed).toMatch(/locked down since/);
  const examRoom = /([0-9a-f-]{36})\s+locked down\s+Exam room 1/.exec(listed)?.[1];
  expect(examRoom).toBeTruthy();
  const wrong = await adminLockdown('AAAAAAAA-BBBBBBBB-CCCCCCCC-DDDDDDDD', '--cloud', cloud.url, '--clinic', clinicId, '--lift', examRoom as string).catch((e: { stderr: string }) => e.stderr);
  expect(wrong).toMatch(/bad-signature/);
  const lifted = await adminLockdown(recoveryCode, '--cloud', cloud.url, '--clinic', clinicId, '--lift', examRoom as string);
  expect(lifted).toMatch(/open\s+Exam room 1/);
  expect(lifted).toMatch(/locked down\s+Front desk/);

  await expect(b.getByRole('heading', { name: 'Sign in' })).toBeVisible({ timeout: 10_000 });
  await signIn(b);
  await b.screenshot({ path: `${shots}/exam-room-lifted.png` });
  await a.reload();
  await expect(heading(a)).toBeVisible();
});
