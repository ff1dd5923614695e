// A lockout reaches the clinic's other workstations: wrong passwords are counted at the cloud
// per username hash (shared/domain/sign-in-lockout.ts, electron/engine/sync/sign-in-guard.ts),
// through the real tenant service on loopback. Five wrong passwords on one workstation lock the
// username on another, even with the right password; failures on two workstations add up; the
// lockout holds there when the cloud goes away; the cloud never holds the username; a revoked
// workstation loses its guard credential.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, it, vi } from 'vitest';
import { dataFiles } from '../../../electron/engine/engine';
import { SyncClient } from '../../../electron/engine/sync/client';
import { firstWorkstation, startTestCloud, type TestCloud } from '../../helpers/cloud';
import { adminPassword, joinClinic, value } from '../../helpers/engine';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

const nurse = { username: 'quintessa.nurse', password: 'quintessa-own-password-1' };

/** Two enrolled workstations of one clinic, nobody signed in on either. */
async function twoWorkstations() {
  const c: TestCloud = await startTestCloud();
  cleanups.push(c.close);
  const { a, sync: syncA } = await firstWorkstation(c, { username: 'ada', roles: ['admin', 'physician', 'front-desk'] });
  cleanups.push(a.cleanup);
  value(await a.api.call('users.create', { username: nurse.username, displayName: 'Quintessa Nurse', roles: ['nurse'], password: nurse.password }));
  value(await syncA.syncOnce());
  const b = await joinClinic(c.url, value(await syncA.createEnrollCode()).code, [syncA]);
  cleanups.push(b.cleanup);
  value(b.joined);
  // B's first sign-in takes its keyring entries; then both sign out, as at the start of a day.
  value(await b.api.call('session.signIn', { username: 'ada', password: adminPassword }));
  value(await new SyncClient(b.engine.syncHost).syncOnce());
  value(await a.api.call('session.signOut', {}));
  value(await b.api.call('session.signOut', {}));
  return { c, a, b };
}

const signIn = async (w: { api: { call: (n: 'session.signIn', i: { username: string; password: string }) => Promise<{ ok: boolean; error?: { code: string; message: string } }> } }, password: string, username = nurse.username) => {
  const r = await w.api.call('session.signIn', { username, password });
  return r.ok ? 'signed in' : r.error?.code;
};

it('five wrong passwords on one workstation lock the username on the other, even with the right password, and there while the cloud is gone', async () => {
  const { c, a, b } = await twoWorkstations();
  for (const w of [a, b]) {
    const file = join(w.dataDir, dataFiles.signInGuard);
    expect(((await stat(file)).mode & 0o777).toString(8)).toBe('600');
    // Sealed by the device's key protector: the username key and the secret are not in the clear.
    expect(await readFile(file, 'utf8')).not.toMatch(/secret|subjectKey/);
  }
  const wrong = [];
  for (let i = 0; i < 5; i++) wrong.push(await signIn(a, `not-her-password-${i}`));
  expect(wrong).toEqual(['wrong-password', 'wrong-password', 'wrong-password', 'wrong-password', 'locked-out']);

  const onB = await b.api.call('session.signIn', nurse);
  expect(!onB.ok && onB.error).toMatchObject({ code: 'locked-out', message: expect.stringMatching(/^Too many wrong passwords for this username, on this or another of the clinic’s workstations\. Try again in 5 minutes/) });
  // Another user of the clinic is not affected.
  expect(await signIn(b, adminPassword, 'ada')).toBe('signed in');
  value(await b.api.call('session.signOut', {}));

  // The cloud counts a hash: the username is nowhere in what it keeps.
  for (const f of [c.file, `${c.file}-wal`]) expect((await readFile(f).catch(() => Buffer.alloc(0))).includes(Buffer.from(nurse.username))).toBe(false);

  // With the cloud gone, B still holds the lockout it heard of.
  await c.app.close();
  expect(await signIn(b, nurse.password)).toBe('locked-out');
  expect(await signIn(a, nurse.password)).toBe('locked-out');
});

it('wrong passwords on two workstations add up, and a right one anywhere clears the clinic’s count', async () => {
  const { c, a, b } = await twoWorkstations();
  const failures = () => {
    const db = new Database(c.file, { readonly: true });
    try {
      return (db.prepare('SELECT coalesce(sum(failures), 0) AS n FROM sign_in_failures').get() as { n: number }).n;
    } finally {
      db.close();
    }
  };
  for (let i = 0; i < 3; i++) expect(await signIn(a, `wrong-on-a-${i}`)).toBe('wrong-password');
  expect(await signIn(b, 'wrong-on-b-0')).toBe('wrong-password');
  expect(failures()).toBe(4);
  // A right password on B clears the count (after the answer: the sign-in does not wait for it).
  expect(await signIn(b, nurse.password)).toBe('signed in');
  value(await b.api.call('session.signOut', {}));
  await vi.waitFor(() => expect(failures()).toBe(0));
  for (let i = 0; i < 3; i++) expect(await signIn(a, `wrong-again-on-a-${i}`)).toBe('wrong-password');
  expect(await signIn(b, 'wrong-again-on-b-0')).toBe('wrong-password');
  // The fifth of the clinic, on B, locks it on both.
  expect(await signIn(b, 'wrong-again-on-b-1')).toBe('locked-out');
  expect(await signIn(a, nurse.password)).toBe('locked-out');
});

it('a revoked workstation loses its sign-in guard credential with its other keys', async () => {
  const { a, b } = await twoWorkstations();
  value(await a.api.call('session.signIn', { username: 'ada', password: adminPassword }));
  const syncA = new SyncClient(a.engine.syncHost);
  const bId = value(await syncA.devices()).find((d) => !d.thisWorkstation)?.deviceId as string;
  value(await syncA.revoke(bId));
  value(await b.api.call('session.signIn', { username: 'ada', password: adminPassword }));
  await new SyncClient(b.engine.syncHost).syncOnce();
  await expect(stat(join(b.dataDir, dataFiles.signInGuard))).rejects.toThrow(/ENOENT/);
});
