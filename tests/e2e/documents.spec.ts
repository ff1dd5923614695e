// Attaching a large document through the browser host, as a physician does at 1366×768: a
// 50 MiB PDF goes up in chunks (the host's request limit is 2 MB) with its progress shown, then
// appears in the chart and opens in the viewer, read back chunk by chunk.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '../helpers/e2e-test';
import { registerPatient, setUpConnectedClinic } from '../helpers/e2e-clinic';
import { type HostProcess, startHostProcess } from '../helpers/browser-host-process';
import { type CloudProcess, createTenantInDir, startCloudProcess } from '../helpers/cloud-process';

let host: HostProcess | undefined;
let cloud: CloudProcess | undefined;
let dir = '';

test.afterEach(async () => {
  await host?.stop();
  await cloud?.stop();
  await rm(dir, { recursive: true, force: true });
});

test('a 50 MiB PDF is attached with its progress shown, and opens', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  dir = await mkdtemp(join(tmpdir(), 'chartroom-e2e-docs-'));
  const setupCode = await createTenantInDir(join(dir, 'cloud'), 'Maple Street');
  cloud = await startCloudProcess(join(dir, 'cloud'));
  host = await startHostProcess(undefined, ['--no-cloud']);
  await page.setViewportSize({ width: 1366, height: 768 });
  await setUpConnectedClinic(page, { hostUrl: host.url, cloudUrl: cloud.url, setupCode, roles: ['Physician'] });
  await registerPatient(page, { family: 'Scanwell', given: 'Iris', dob: '1972-05-14' });

  const file = join(dir, 'outside-records.pdf');
  await writeFile(file, Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(50 * 1024 * 1024 - 9)]));
  const documents = page.getByRole('region', { name: 'Documents' });
  await documents.getByLabel('Document title').fill('Outside records 2019–2024');
  const chooser = page.waitForEvent('filechooser');
  await documents.getByRole('button', { name: 'Attach PDF or image' }).click();
  await (await chooser).setFiles(file);

  // The progress while it goes up: visible, in the card, and counting.
  const progress = documents.getByRole('progressbar', { name: /^Attaching: \d+ of 50 MB sent$/ });
  await expect(progress).toBeVisible();
  await documents.scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath('attaching.png') });
  await expect(documents.getByRole('status')).toContainText(/Attaching… \d+ of 50 MB/);
  await expect(progress).toBeHidden({ timeout: 120_000 });

  const row = documents.getByRole('row', { name: /Outside records 2019–2024/ });
  await expect(row).toContainText('51200 KB');
  await row.getByRole('button', { name: 'View Outside records 2019–2024' }).click();
  const viewer = page.getByRole('dialog', { name: 'Outside records 2019–2024' });
  await expect(viewer.locator('iframe[title="Outside records 2019–2024"]')).toBeAttached({ timeout: 60_000 });
  await page.screenshot({ path: testInfo.outputPath('opened.png') });
});
