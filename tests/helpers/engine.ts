// Test engines: each gets its own data dir under the system temp dir, a file-backed
// KeyProtector (the OS keystore is what tests cannot run) and a cheaper KDF.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDispatcher, type Invoke } from '../../electron/engine/api/dispatcher';
import { Engine, dataFiles, type EngineOptions } from '../../electron/engine/engine';
import { FileKeyProtector } from '../../electron/engine/keys/key-protector';
import type { KdfParams } from '../../electron/engine/keys/kdf';
import type { PatientFields } from '../../shared/domain/patient';
import { emptyPatientFields } from '../../shared/domain/patient';
import type { Result } from '../../shared/errors';

export const testKdf: KdfParams = { algorithm: 'scrypt', N: 2 ** 12, r: 8, p: 1 };
export const fastLockout = { maxFailures: 5, lockoutMs: 5 * 60_000, baseDelayMs: 5, maxDelayMs: 40 };

export const adminPassword = 'correct horse battery staple';

export async function tempDir(prefix = 'chartroom-test-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function openEngine(dataDir: string, extra: Partial<EngineOptions> = {}): Promise<{ engine: Engine; invoke: Invoke }> {
  const engine = await Engine.create({
    dataDir,
    keyProtector: new FileKeyProtector(join(dataDir, dataFiles.deviceKey)),
    kdf: testKdf,
    lockout: fastLockout,
    ...extra,
  });
  return { engine, invoke: createDispatcher(engine) };
}

/** A set-up workstation with its admin signed in (admin plus every other role unless told). */
export async function setUpClinic(opts: { roles?: string[]; dataDir?: string } = {}) {
  const dataDir = opts.dataDir ?? (await tempDir());
  const { engine, invoke } = await openEngine(dataDir);
  const res = await invoke('setup.initialize', {
    clinicName: 'Maple Street Family Practice',
    admin: { username: 'admin', displayName: 'Ada Admin', roles: opts.roles ?? ['admin', 'physician', 'front-desk'], password: adminPassword },
  });
  if (!res.ok) throw new Error(`setup failed: ${res.error.code}`);
  return {
    dataDir,
    engine,
    invoke,
    async cleanup() {
      await engine.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.value;
}

export function patient(overrides: Partial<PatientFields> = {}): PatientFields {
  return { ...emptyPatientFields, familyName: 'Okafor', givenNames: 'Chidinma Grace', dateOfBirth: '1984-06-02', sexAtBirth: 'female', phone: '(555) 201-4477', ...overrides };
}
