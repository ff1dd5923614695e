// A lockout reaches the clinic's other workstations (issue 11, point 15), at 1366×768: two
// workstations of one clinic (two browser hosts, one tenant service process). Five wrong
// passwords for a nurse's username on the front desk's sign-in page lock it; on the exam room's
// sign-in page the nurse's right password is then refused with the same lockout, while another
// user signs in there as usual.
import { mkdir } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from '../helpers/e2e-test';
import { pageCall } from '../helpers/e2e-api';
import { e2ePassword, sendSignIn } from '../helpers/e2e-clinic';
import { type TwoWorkstations, twoWorkstations } from '../helpers/e2e-workstations';

const shots = 'test-results/lockout';
const nurse = { username: 'quintessa', password: 'quintessa-own-password-1' };
let clinic: TwoWorkstations | undefined;

test.afterEach(async () => {
  await clinic?.stop();
  clinic = undefined;
});

/** A refused sign-in has answered: the page empties the password field. */
async function refused(page: Page, text: string | RegExp) {
  await expect(page.getByRole('textbox', { name: 'Password', exact: true })).toHaveValue('', { timeout: 15_000 });
  await expect(page.getByRole('alert')).toContainText(text);
}

const lockedOut = /Too many wrong passwords for this username, on this or another of the clinic’s workstations\. Try again in 5 minutes\./;

test('five wrong passwords on one workstation lock the username on the other', async ({ browser }) => {
  test.setTimeout(120_000);
  await mkdir(shots, { recursive: true });
  // The front desk sets up the clinic and adds the nurse; the exam room joins.
  clinic = await twoWorkstations(browser, async (a) => {
    expect((await pageCall(a, 'users.create', { username: nurse.username, displayName: 'Quintessa Nurse', roles: ['nurse'], password: nurse.password })).ok).toBe(true);
  });
  const { a, b } = clinic;
  // The front desk is left at its sign-in page, as at the start of the day.
  await a.getByRole('button', { name: 'Sign out' }).click();
  await expect(a.getByRole('heading', { name: 'Sign in' })).toBeVisible();

  // Five wrong passwords for the nurse on the front desk: each refused, the fifth locks.
  for (let i = 1; i <= 4; i++) {
    await sendSignIn(a, nurse.username, `wrong-password-${i}`);
    await refused(a, 'The username or password is not right.');
  }
  await sendSignIn(a, nurse.username, 'wrong-password-5');
  await refused(a, lockedOut);
  await a.screenshot({ path: `${shots}/front-desk-locked.png` });

  // In the exam room the nurse types her right password: refused, with the same lockout.
  await sendSignIn(b, nurse.username, nurse.password);
  await refused(b, lockedOut);
  const alert = b.getByRole('alert');
  await expect(b.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  const box = await alert.boundingBox();
  expect(box && box.y + box.height).toBeLessThanOrEqual(768);
  await b.screenshot({ path: `${shots}/exam-room-locked.png` });
  expect((await new AxeBuilder({ page: b }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()).violations).toEqual([]);

  // Another user signs in there as usual.
  await sendSignIn(b, 'ada', e2ePassword);
  await expect(b.getByRole('navigation', { name: 'Main' })).toBeVisible({ timeout: 15_000 });
});
