// The schedule at 1366×768, as the front desk sees it, with screenshots: a double booking drawn
// side by side (both readable and clickable, the badge unclipped) in the day and week views;
// the week's hour labels clear of the menu and all seven days without sideways scrolling; a
// 20-minute appointment's second line whole; the booking dialog ready for typing a name.
import { mkdir } from 'node:fs/promises';
import { expect, type Locator, type Page, test } from '@playwright/test';
import { setUpClinic } from '../helpers/e2e-clinic';
import { type HostProcess, startHostProcess } from '../helpers/browser-host-process';
import { pageCall, registerByCall } from '../helpers/e2e-api';
import { clinicMorning, localDate, setPageClock, testClock } from '../helpers/test-clock';

test.describe.configure({ mode: 'serial' });
const clock = testClock(clinicMorning(8, 0));
const today = localDate(clock.now());
const shots = 'test-results/schedule-views';
let host: HostProcess;
let page: Page;

test.beforeAll(async ({ browser }) => {
  await mkdir(shots, { recursive: true });
  host = await startHostProcess(undefined, [], { clock });
  page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await setPageClock(page.context(), clock);
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await setUpClinic(page, { hostUrl: host.url, roles: ['Physician', 'Front desk'], adminName: 'Dr Ada Okafor' });
  const me = (await pageCall<{ user: { id: string } }>(page, 'session.current', {})).value;
  const types = (await pageCall<{ id: string; durationMinutes: number }[]>(page, 'schedule.types', {})).value;
  const twenty = types.find((t) => t.durationMinutes === 20) ?? types[0];
  for (const [family, at] of [['Okafor', '09:00'], ['Nakamura', '09:00'], ['Lindqvist', '10:00']] as const) {
    const p = await registerByCall(page, { familyName: family, givenNames: 'Test', dateOfBirth: '1980-01-01' });
    const r = await pageCall(page, 'appointments.book', { patientId: p.id, providerId: me.user.id, typeId: twenty?.id, start: `${today}T${at}`, confirmWarnings: true });
    expect(r.ok, family).toBe(true);
  }
});
test.afterAll(async () => { await page.close(); await host.stop(); });

const nav = (name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true });

/** Both double-booked appointments are on screen, apart, each with its whole badge and both lines. */
async function expectSideBySide(view: string, a: Locator, b: Locator) {
  const [ba, bb] = [await a.boundingBox(), await b.boundingBox()];
  expect(ba && bb, view).toBeTruthy();
  if (!ba || !bb) return;
  // Apart: one ends where the other begins, at most touching.
  expect(ba.x + ba.width <= bb.x + 1 || bb.x + bb.width <= ba.x + 1, `${view}: ${JSON.stringify([ba, bb])}`).toBe(true);
  for (const [box, el] of [[ba, a], [bb, b]] as const) {
    expect(box.width, view).toBeGreaterThan(60);
    const badge = await el.locator('[data-badge="double-booked"]').boundingBox();
    expect(await el.locator('[data-badge="double-booked"]').evaluate((e) => { const l = e.querySelector(".mantine-Badge-label") ?? e; return l.scrollWidth <= l.clientWidth + 1; }), `${view}: badge text fits`).toBe(true);
    expect(badge, view).toBeTruthy();
    if (badge) expect(badge.y + badge.height <= box.y + box.height + 0.5 && badge.x >= box.x - 0.5, `${view}: badge inside ${JSON.stringify([badge, box])}`).toBe(true);
  }
}

test('a double booking is side by side in the day view, each clickable, its badge and second line whole', async () => {
  await nav('Schedule').click();
  const column = page.getByRole('region', { name: 'Dr Ada Okafor schedule' });
  const okafor = column.getByRole('button', { name: /Okafor, Test/ });
  const nakamura = column.getByRole('button', { name: /Nakamura, Test/ });
  await expect(okafor).toBeVisible();
  await expect(nakamura).toBeVisible();
  await okafor.scrollIntoViewIfNeeded();
  await expectSideBySide('day', okafor, nakamura);
  // Each opens its own appointment.
  for (const [button, name] of [[okafor, 'Okafor'], [nakamura, 'Nakamura']] as const) {
    await button.click();
    const dialog = page.getByRole('dialog', { name: new RegExp(`09:00 · ${name}`) });
    await expect(dialog).toBeVisible();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(dialog).toBeHidden();
  }
  // A 20-minute appointment alone shows both lines in full.
  const single = column.getByRole('button', { name: /Lindqvist, Test/ });
  const box = await single.boundingBox();
  const second = await single.getByText(/Follow-up|min|visit/i).first().boundingBox();
  expect(box && second && second.y + second.height <= box.y + box.height + 0.5, JSON.stringify([box, second])).toBe(true);
  await page.screenshot({ path: `${shots}/day.png` });
});

test('the week view shows all seven days and its hour labels beside the menu, with the double booking side by side', async () => {
  await page.getByRole('radiogroup', { name: 'View' }).getByText('Week').click();
  await expect(page.getByText(/^Week of/)).toBeVisible();
  const grid = page.locator('[data-testid="schedule-hours"]').locator('xpath=../..');
  // No sideways scrolling: Sunday's column ends inside the grid's visible box.
  expect(await grid.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(1);
  const sunday = page.getByRole('region', { name: /^Sun .* schedule$/ });
  const sundayBox = await sunday.boundingBox();
  expect(sundayBox && sundayBox.x + sundayBox.width <= 1366, JSON.stringify(sundayBox)).toBe(true);
  // The hour labels sit right of the menu, not under it.
  const menu = await page.getByRole('navigation', { name: 'Main' }).boundingBox();
  const hours = await page.locator('[data-testid="schedule-hours"]').boundingBox();
  expect(menu && hours && hours.x >= menu.x + menu.width - 0.5, JSON.stringify([menu, hours])).toBe(true);
  const firstHour = page.locator('[data-testid="schedule-hours"]').getByText(/^0?8:00|^08:00/).first();
  await expect(firstHour).toBeVisible();
  const dayColumn = page.getByRole('region', { name: /schedule$/ }).filter({ has: page.getByRole('button', { name: /Okafor, Test/ }) });
  await expectSideBySide('week', dayColumn.getByRole('button', { name: /Okafor, Test/ }), dayColumn.getByRole('button', { name: /Nakamura, Test/ }));
  await dayColumn.getByRole('button', { name: /Nakamura, Test/ }).click();
  await expect(page.getByRole('dialog', { name: /09:00 · Nakamura/ })).toBeVisible();
  await page.getByRole('dialog', { name: /09:00 · Nakamura/ }).getByRole('button', { name: 'Close' }).click();
  await page.screenshot({ path: `${shots}/week.png` });
});

test('the booking dialog opens with the patient field focused, so a name can be typed at once', async () => {
  await page.getByRole('button', { name: 'Book appointment' }).click();
  const dialog = page.getByRole('dialog', { name: 'Book an appointment' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('combobox', { name: 'Patient' })).toBeFocused();
  await page.keyboard.type('Lindq');
  await expect(page.getByRole('option', { name: /Lindqvist/ })).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
});
