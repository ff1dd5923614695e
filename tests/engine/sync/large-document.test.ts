// A large document never stops a workstation's sync (electron/engine/sync/): a 50 MiB PDF,
// attached in chunks, goes as a blob apart from the change log and arrives on the other
// workstation, checked; a patient
// registered after it gets there too. A change set the cloud would never take (a 13 MiB document
// kept inline, as the version before blobs made them, still waiting to be sent) is set aside for
// the admin with its reason, and the rest flows.
import { createHash, randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { createTenant } from '../../../cloud/server';
import { SyncClient } from '../../../electron/engine/sync/client';
import { startTestCloud } from '../../helpers/cloud';
import { adminPassword, clinicOf, joinClinic, patient, setUpClinic, value } from '../../helpers/engine';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

/** A PDF of `mib` MiB that does not compress (as a scan does not). */
const pdf = (mib: number) => Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(mib * 1024 * 1024 - 9)]);

async function twoWorkstations() {
  const cloud = await startTestCloud();
  cleanups.push(cloud.close);
  const { setupCode } = await createTenant(cloud.store, 'Maple Street');
  const a = await setUpClinic({ username: 'ada' });
  cleanups.push(a.cleanup);
  const syncA = new SyncClient(a.engine.syncHost);
  value(await syncA.enroll(cloud.url, setupCode, 'Front desk'));
  const b = await joinClinic(cloud.url, value(await syncA.createEnrollCode()).code, [syncA]);
  cleanups.push(b.cleanup);
  value(b.joined);
  value(await b.api.call('session.signIn', { username: 'ada', password: adminPassword }));
  return { cloud, a, syncA, b, syncB: new SyncClient(b.engine.syncHost) };
}

it('sends a 50 MiB PDF, attached in chunks, as a blob that arrives whole and checked, and the patient registered next follows', async () => {
  const { cloud, a, syncA, b, syncB } = await twoWorkstations();
  const holder = value(await a.api.call('patients.register', { fields: patient({ familyName: 'Scanwell', givenNames: 'Iris' }) }));
  if (holder.status !== 'created') throw new Error('setup');
  const file = pdf(50);
  const { uploadId, chunkBytes } = value(await a.api.call('documents.beginUpload', {
    patientId: holder.patient.id, title: 'Outside records', mime: 'application/pdf', bytes: file.length, sha256: createHash('sha256').update(file).digest('hex'),
  }));
  for (let index = 0; index * chunkBytes < file.length; index++) {
    value(await a.api.call('documents.uploadChunk', { uploadId, index, data: file.subarray(index * chunkBytes, (index + 1) * chunkBytes).toString('base64') }));
  }
  const doc = value(await a.api.call('documents.finishUpload', { uploadId }));
  expect(doc).toMatchObject({ state: 'here', chunks: 50, bytes: file.length });
  const next = value(await a.api.call('patients.register', { fields: patient({ familyName: 'Afterward', givenNames: 'Lena', dateOfBirth: '1991-03-04', phone: '555-010-2020' }) }));
  if (next.status !== 'created') throw new Error('setup');

  const round = value(await syncA.syncOnce());
  expect(round.blobChunksSent).toBe(50);
  expect(value(await a.api.call('sync.status', {})).pending).toBe(0);
  // The cloud holds ciphertext: not one 64-byte run of the file is in its database.
  const stored = await cloud.store.blobChunk((await clinicOf(a.engine).db.get<{ tenant_id: string }>('SELECT tenant_id FROM sync_identity'))?.tenant_id as string, (await clinicOf(a.engine).db.get<{ blob_id: string }>('SELECT blob_id FROM documents'))?.blob_id as string, 3);
  expect(stored?.ciphertext.includes(file.subarray(3 * 1024 * 1024 + 100, 3 * 1024 * 1024 + 164))).toBe(false);

  const pulled = value(await syncB.syncOnce());
  expect(pulled.blobChunksFetched).toBe(50);
  expect(value(await b.api.call('patients.search', { query: 'afterward' })).results.map((r) => r.id)).toEqual([next.patient.id]);
  const there = value(await b.api.call('documents.get', { patientId: holder.patient.id, documentId: doc.id }));
  expect(there).toMatchObject({ state: 'here', chunks: 50, received: 50 });
  const parts: Buffer[] = [];
  for (let i = 0; i < there.chunks; i++) parts.push(Buffer.from(value(await b.api.call('documents.chunk', { patientId: holder.patient.id, documentId: doc.id, index: i })).data, 'base64'));
  expect(createHash('sha256').update(Buffer.concat(parts)).digest('hex')).toBe(createHash('sha256').update(file).digest('hex'));
  expect(value(await b.api.call('sync.refused', {}))).toEqual([]);
}, 120_000);

it('sets aside a change set too large for the cloud, with its reason, and sends the rest', async () => {
  const { a, syncA, b, syncB } = await twoWorkstations();
  const holder = value(await a.api.call('patients.register', { fields: patient({ familyName: 'Scanwell', givenNames: 'Iris' }) }));
  if (holder.status !== 'created') throw new Error('setup');
  // As the version before blobs kept an attachment: inside its row, in one change set.
  const uploader = (await clinicOf(a.engine).db.get<{ id: string }>('SELECT id FROM users LIMIT 1'))?.id ?? '';
  await clinicOf(a.engine).write((m) => m.insert('documents', '01900000-0000-7000-8000-000000000001', {
    patient_id: holder.patient.id, title: 'Inline scan', mime: 'application/pdf', bytes: 13 * 1024 * 1024, content: pdf(13), uploaded_by: uploader, uploaded_at: new Date().toISOString(),
  }));
  const next = value(await a.api.call('patients.register', { fields: patient({ familyName: 'Afterward', givenNames: 'Lena', dateOfBirth: '1991-03-04', phone: '555-010-2020' }) }));
  if (next.status !== 'created') throw new Error('setup');

  const round = value(await syncA.syncOnce());
  expect(round.unsent).toBe(1);
  expect(value(await a.api.call('sync.status', {})).pending).toBe(0);
  expect(value(await a.api.call('sync.refused', {})).map((r) => [r.kind, r.reason])).toEqual([['unsent-change-set', expect.stringMatching(/^too large to send \(\d+ MB sealed\)$/)]]);
  value(await syncB.syncOnce());
  expect(value(await b.api.call('patients.search', { query: 'afterward' })).results.map((r) => r.id)).toEqual([next.patient.id]);
}, 120_000);

it('refuses a blob altered at the cloud: the document shows as failed, and the admin is told', async () => {
  const { cloud, a, syncA, b, syncB } = await twoWorkstations();
  const holder = value(await a.api.call('patients.register', { fields: patient({ familyName: 'Scanwell', givenNames: 'Iris' }) }));
  if (holder.status !== 'created') throw new Error('setup');
  const doc = value(await a.api.call('documents.upload', { patientId: holder.patient.id, title: 'Outside records', mime: 'application/pdf', data: pdf(3).toString('base64') }));
  value(await syncA.syncOnce());
  // Someone with the cloud's storage (past the service and its triggers) flips one byte of the second chunk's ciphertext.
  const db = new Database(cloud.file);
  db.exec('DROP TRIGGER blob_chunks_append_only_update');
  db.prepare('UPDATE blob_chunks SET ciphertext = CAST(substr(ciphertext, 1, 99) || X\'00\' || substr(ciphertext, 101) AS BLOB) WHERE idx = 1').run();
  db.close();
  value(await syncB.syncOnce());
  expect(value(await b.api.call('documents.get', { patientId: holder.patient.id, documentId: doc.id })).state).toBe('unavailable');
  const chunk = await b.api.call('documents.chunk', { patientId: holder.patient.id, documentId: doc.id, index: 0 });
  expect(!chunk.ok && chunk.error.message).toMatch(/failed its checks/);
  expect(value(await b.api.call('sync.refused', {})).map((r) => [r.kind, r.reason])).toEqual([['document', 'a part of the document failed its authenticity check']]);
}, 120_000);
