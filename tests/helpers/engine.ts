// Test engines: each gets its own data dir under the system temp dir, a file-backed
// KeyProtector (the OS keystore is what tests cannot run) and a cheaper KDF.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDispatcher, type Invoke } from '../../electron/engine/api/dispatcher';
import { Engine, dataFiles, type EngineOptions } from '../../electron/engine/engine';
import { FileKeyProtector } from '../../electron/engine/keys/key-protector';
import { createLogger } from '../../electron/engine/logger';
import type { KdfParams } from '../../electron/engine/keys/kdf';
import type { Patient, PatientFields } from '../../shared/domain/patient';
import type { Role } from '../../shared/domain/roles';
import { emptyPatientFields } from '../../shared/domain/patient';
import type { Result } from '../../shared/errors';
import { isEventName } from '../../shared/api/contract';
import { createClient, type ChartroomClient } from '../../shared/api/transport';
import type { SyncClient } from '../../electron/engine/sync/client';
import type { OpenClinic } from '../../electron/engine/clinic/open-clinic';

/** The signed-in engine's open clinic (tests reach its database through it). */
export function clinicOf(engine: Engine): OpenClinic {
  if (!engine.clinic) throw new Error('nobody is signed in: the clinic is closed');
  return engine.clinic;
}

export const testKdf: KdfParams = { algorithm: 'scrypt', N: 2 ** 12, r: 8, p: 1 };
export const fastLockout = { maxFailures: 5, lockoutMs: 5 * 60_000, baseDelayMs: 5, maxDelayMs: 40 };

export const adminPassword = 'correct horse battery staple';

export async function tempDir(prefix = 'chartroom-test-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export interface TestEngine {
  engine: Engine;
  /** Untyped entry, as a transport delivers calls (for malformed-input tests). */
  invoke: Invoke;
  /** The typed client the renderer uses. */
  api: ChartroomClient;
}

export async function openEngine(dataDir: string, extra: Partial<EngineOptions> = {}): Promise<TestEngine> {
  const engine = await Engine.create({
    dataDir,
    keyProtector: new FileKeyProtector(join(dataDir, dataFiles.deviceKey)),
    kdf: testKdf,
    lockout: fastLockout,
    // Real log files at the most verbose level, so no-PHI tests search them too.
    logger: createLogger(join(dataDir, dataFiles.logs, 'engine.log'), 'debug'),
    // Tests drive sync explicitly; the background service has its own test.
    autoSync: false,
    ...extra,
  });
  const invoke = createDispatcher(engine);
  const api = createClient({
    invoke,
    on: (event, listener) => (isEventName(event) ? engine.on(event, listener) : () => undefined),
  });
  return { engine, invoke, api };
}

/** A set-up workstation with its admin signed in (admin plus every other role unless told). */
export async function setUpClinic(opts: { roles?: Role[]; dataDir?: string; username?: string; engine?: Partial<EngineOptions> } = {}) {
  const dataDir = opts.dataDir ?? (await tempDir());
  const { engine, invoke, api } = await openEngine(dataDir, opts.engine);
  const res = await api.call('setup.initialize', {
    clinicName: 'Maple Street Family Practice',
    admin: { username: opts.username ?? 'admin', displayName: 'Ada Admin', roles: opts.roles ?? ['admin', 'physician', 'front-desk'], password: adminPassword },
  });
  if (!res.ok) throw new Error(`setup failed: ${res.error.code}`);
  return {
    dataDir,
    engine,
    invoke,
    api,
    async cleanup() {
      await engine.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * An empty workstation joining the clinic with an enrollment code, while the already enrolled
 * workstations `online` keep syncing (one of them shares the clinic key with it).
 */
export async function joinClinic(cloudUrl: string, code: string, online: readonly SyncClient[], extra: Partial<EngineOptions> = {}) {
  const dataDir = await tempDir();
  const t = await openEngine(dataDir, { joinKeyWaitMs: 20_000, ...extra });
  let done = false;
  const joining = t.engine.setup.join(cloudUrl, code, 'Exam room 1').finally(() => {
    done = true;
  });
  while (!done) {
    for (const s of online) await s.syncOnce();
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    ...t,
    dataDir,
    joined: await joining,
    async cleanup() {
      await t.engine.close();
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

/** A patient's editable fields, as `patients.update` takes them back. */
export function patientFields({ id: _i, mrn: _m, createdAt: _c, updatedAt: _u, ...fields }: Patient): PatientFields {
  return fields;
}

/** A digest of every table's contents: equal digests mean nothing changed. */
export async function dbFingerprint(engine: Engine): Promise<string> {
  const { createHash } = await import('node:crypto');
  const h = createHash('sha256');
  for (const t of [
    'clinic', 'users', 'settings', 'patients', 'changes', 'audit_log', 'mrn_sequence', 'workstation', 'providers', 'appointment_types', 'appointments',
    'encounters', 'notes', 'addenda', 'note_templates', 'problems', 'medications', 'allergies', 'vitals', 'immunizations', 'lab_results',
    'documents', 'emergency_access',
  ]) {
    h.update(JSON.stringify(await clinicOf(engine).db.all(`SELECT * FROM ${t} ORDER BY rowid`)));
  }
  return h.digest('hex');
}
