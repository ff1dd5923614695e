// Lockdown benchmark: how long IT's lockdown takes to reach five online workstations (each has
// locked its screen: session ended, database closed), against the tenant service as its own
// process (`cloud serve`, SQLite). Baseline, side by side in the same trials: an ordinary change
// on one of them reaching the other four over the same sockets. 20 trials; after each, IT lifts
// every workstation and each signs in again, online before the next.
import { rm } from 'node:fs/promises';
import { type ItCommandInput, sendItCommand } from '../../electron/engine/lockdown/it-command';
import { type CloudProcess, createTenantInDir, startCloudProcess } from '../helpers/cloud-process';
import { adminPassword, clinicOf, joinClinic, openEngine, patient, setUpClinic, tempDir, value, type TestEngine } from '../helpers/engine';
import { percentile } from './stats';

const WORKSTATIONS = 5;
const TRIALS = 20;
const live = { autoSync: true, lockdownPollMs: 250 };

async function until(fn: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const start = Date.now();
  while (!(await fn())) {
    if (Date.now() - start > ms) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** An IT command, sent again after the wait the cloud asks for (IT's commands are rate limited per address); `sent` marks each attempt. */
async function it(input: ItCommandInput, sent: () => void = () => undefined) {
  for (;;) {
    sent();
    const r = await sendItCommand(input);
    if (r.ok || r.error.code !== 'rate-limited') return value(r);
    await new Promise((res) => setTimeout(res, (r.error.retryAfterSeconds ?? 1) * 1000));
  }
}

const online = async (w: TestEngine) => {
  const s = await w.api.call('sync.status', {});
  return s.ok && s.value.state === 'online';
};

export async function benchLockdown(): Promise<void> {
  const cloudDir = await tempDir('chartroom-bench-lockdown-');
  const cloud: CloudProcess = await startCloudProcess(cloudDir);
  // Stopped whatever happens: a failed run must not leave a service process behind.
  try {
    const setupCode = await createTenantInDir(cloudDir, 'Lockdown');
    const first = await setUpClinic({ username: 'ada' });
    await first.engine.close();
    const a = await openEngine(first.dataDir, live);
    value(await a.api.call('session.signIn', { username: 'ada', password: adminPassword }));
    const { recoveryCode } = value(await a.api.call('sync.enroll', { cloudUrl: cloud.url, code: setupCode, deviceName: 'Front desk' }));
    const id = await a.engine.syncService.sync.identity();
    if (!id || !recoveryCode) throw new Error('setup');
    const ws: (TestEngine & { cleanup?: () => Promise<void> })[] = [a];
    for (let i = 1; i < WORKSTATIONS; i++) {
      const j = await joinClinic(cloud.url, value(await a.api.call('devices.enrollCode', {})).code, [], live);
      value(j.joined);
      ws.push(j);
    }
    const signInAll = async () => {
      for (const w of ws) value(await w.api.call('session.signIn', { username: 'ada', password: adminPassword }));
      await until(async () => (await Promise.all(ws.map(online))).every(Boolean), 20_000, 'all online');
      // The stream sockets open after the first round: give them a moment.
      await new Promise((r) => setTimeout(r, 500));
    };
    await signInAll();

    const change: number[] = [];
    const lockdown: number[] = [];
    const perWorkstation: number[] = [];
    for (let t = 0; t < TRIALS; t++) {
      // Baseline: a patient registered on one reaching the other four.
      const start = Date.now();
      const reg = value(await ws[0]!.api.call('patients.register', { fields: patient({ familyName: `Benchlock${t}`, givenNames: 'Ida', dateOfBirth: `19${50 + t}-01-15`, phone: `(555) 301-${1000 + t}` }) }));
      if (reg.status !== 'created') throw new Error('setup');
      await until(async () => (await Promise.all(ws.slice(1).map(async (w) => !!(await clinicOf(w.engine).db.get('SELECT id FROM patients WHERE id = ?', [reg.patient.id]))))).every(Boolean), 10_000, 'change reached');
      change.push(Date.now() - start);

      const locked = ws.map((w) => new Promise<number>((r) => { const off = w.engine.on('session.ended', (e) => { if (e.reason === 'clinic-locked-down') { off(); r(Date.now()); } }); }));
      let asked = Date.now();
      await it({ cloudUrl: cloud.url, tenantId: id.tenantId, recoveryCode, command: 'lockdown' }, () => { asked = Date.now(); });
      const at = await Promise.all(locked);
      perWorkstation.push(...at.map((x) => x - asked));
      lockdown.push(Math.max(...at) - asked);

      const list = await it({ cloudUrl: cloud.url, tenantId: id.tenantId, recoveryCode, command: 'status' });
      for (const d of list.devices) await it({ cloudUrl: cloud.url, tenantId: id.tenantId, recoveryCode, command: 'lift', deviceId: d.deviceId });
      await until(async () => ws.every((w) => w.engine.lockdown.current() === null), 10_000, 'lifted');
      await signInAll();
    }
    const ms = (xs: number[]) => `p50 ${percentile(xs, 50)} ms, p95 ${percentile(xs, 95)} ms, max ${Math.max(...xs)} ms`;
    console.log(`\nLockdown reaching ${WORKSTATIONS} online workstations, ${TRIALS} trials (cloud as its own process):`);
    console.log(`  lockdown, until the last of the ${WORKSTATIONS} has locked: ${ms(lockdown)}`);
    console.log(`  lockdown, each workstation:                ${ms(perWorkstation)}`);
    console.log(`  baseline: a change reaching the other ${WORKSTATIONS - 1}:   ${ms(change)}`);
    console.log(`  ratio of p95s (lockdown ÷ change): ${(percentile(lockdown, 95) / percentile(change, 95)).toFixed(2)}`);

    await a.engine.close();
    for (const w of ws.slice(1)) await w.cleanup?.();
    await rm(first.dataDir, { recursive: true, force: true });
  } finally {
    await cloud.stop();
    await rm(cloudDir, { recursive: true, force: true });
  }
}
