// Two workstations of one clinic for an e2e spec: a tenant service process on its own data dir,
// two browser hosts (without their embedded clouds) and a browser context for each, as two
// machines are; the first is set up and connected through the UI, the second joins it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { type HostProcess, startHostProcess } from './browser-host-process';
import { type CloudProcess, createTenantInDir, startCloudProcess } from './cloud-process';
import { pageCall } from './e2e-api';
import { joinWorkstation, setUpConnectedClinic } from './e2e-clinic';
import { followRunClock } from './e2e-test';

export interface TwoWorkstations {
  readonly cloud: CloudProcess;
  /** The front desk (set up, connected, Ada signed in) and the exam room (joined, nobody signed in). */
  readonly a: Page;
  readonly b: Page;
  /** As shown to the first admin once. */
  readonly recoveryCode: string;
  stop(): Promise<void>;
}

/** `before` runs on the first before the second joins (users, patients the spec needs there). */
export async function twoWorkstations(browser: Browser, before: (a: Page) => Promise<void> = async () => undefined, opts: { acceptDownloads?: boolean } = {}): Promise<TwoWorkstations> {
  const { pages: [a, b], ...rest } = await clinicWorkstations(browser, ['Exam room 1'], before, opts);
  return { ...rest, a: a as Page, b: b as Page };
}

/**
 * The front desk and one joined workstation per name, each its own browser host and browser
 * context, on one tenant service process; `pages[0]` is the front desk (Ada signed in).
 */
export async function clinicWorkstations(browser: Browser, joining: readonly string[], before: (a: Page) => Promise<void> = async () => undefined, opts: { acceptDownloads?: boolean; roles?: readonly ('Physician' | 'Nurse' | 'Front desk')[] } = {}) {
  const cloudDir = await mkdtemp(join(tmpdir(), 'chartroom-cloud-e2e-'));
  const setupCode = await createTenantInDir(cloudDir, 'Maple Street');
  const cloud = await startCloudProcess(cloudDir);
  const hosts: HostProcess[] = [];
  for (let i = 0; i <= joining.length; i++) hosts.push(await startHostProcess(undefined, ['--no-cloud']));
  const stop = async () => {
    for (const h of hosts) await h.stop();
    await cloud.stop();
    await rm(cloudDir, { recursive: true, force: true });
  };
  try {
    const pages: Page[] = [];
    for (const _ of hosts) {
      const c = await browser.newContext({ acceptDownloads: opts.acceptDownloads });
      await followRunClock(c);
      pages.push(await c.newPage());
    }
    const a = pages[0] as Page;
    const { recoveryCode } = await setUpConnectedClinic(a, { hostUrl: hosts[0]!.url, cloudUrl: cloud.url, setupCode, roles: opts.roles ?? ['Front desk'] });
    await before(a);
    for (const [i, name] of joining.entries()) {
      const code = await pageCall<{ code: string; cloudUrl: string }>(a, 'devices.enrollCode', {});
      await joinWorkstation(pages[i + 1] as Page, hosts[i + 1]!.url, code.value, name);
    }
    return { cloud, pages, recoveryCode, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
