// Sign-in, wrong passwords and lockout, sessions, auto-lock, and user administration's effect
// on who can sign in.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../../shared/api/contract';
import { rm } from 'node:fs/promises';
import { SignInAttempts } from '../../../electron/engine/auth/sign-in-attempts';
import { adminPassword, openEngine, setUpClinic, tempDir, value } from '../../helpers/engine';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

async function clinic(...args: Parameters<typeof setUpClinic>) {
  const c = await setUpClinic(...args);
  cleanups.push(c.cleanup);
  return c;
}

const dbFiles = async (dir: string) => {
  const read = (n: string) => readFile(join(dir, n)).catch(() => null);
  return { db: await read('chartroom.db'), wal: await read('chartroom.db-wal') };
};

describe('wrong password', () => {
  it('answers wrong-password, locks out after 5 failures, and leaves the database and WAL byte-identical', async () => {
    const c = await clinic();
    value(await c.api.call('users.create', { username: 'fran', displayName: 'Fran Desk', roles: ['front-desk'], password: 'front-desk-passphrase' }));
    // The admin's session stays open, locked: the database is open and has a WAL.
    value(await c.api.call('session.lock', {}));
    const before = await dbFiles(c.dataDir);
    expect(before.wal).not.toBeNull();

    const codes: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await c.api.call('session.signIn', { username: 'fran', password: `guess number ${i}` });
      codes.push(r.ok ? 'ok' : r.error.code);
    }
    expect(codes).toEqual(['wrong-password', 'wrong-password', 'wrong-password', 'wrong-password', 'locked-out']);
    // Locked out: even the right password is refused now, with the time to wait.
    const locked = await c.api.call('session.signIn', { username: 'fran', password: 'front-desk-passphrase' });
    expect(locked.ok).toBe(false);
    expect(!locked.ok && locked.error.code).toBe('locked-out');
    expect(!locked.ok && locked.error.retryAfterSeconds).toBeGreaterThan(200);
    // Unlock attempts with a wrong password are counted the same way and touch nothing.
    const unlock = await c.api.call('session.unlock', { password: 'not the admin password' });
    expect(!unlock.ok && unlock.error.code).toBe('wrong-password');

    const after = await dbFiles(c.dataDir);
    expect(after.db?.equals(before.db as Buffer)).toBe(true);
    expect(after.wal?.equals(before.wal as Buffer)).toBe(true);
    // The counter lives outside the database.
    expect(JSON.parse(await readFile(join(c.dataDir, 'sign-in-attempts.json'), 'utf8'))).toHaveProperty('fran');
  });

  it('does not touch the database files when nobody is signed in', async () => {
    const c = await clinic();
    value(await c.api.call('session.signOut', {}));
    const before = await dbFiles(c.dataDir);
    const r = await c.api.call('session.signIn', { username: 'admin', password: 'definitely wrong' });
    expect(!r.ok && r.error.code).toBe('wrong-password');
    const unknown = await c.api.call('session.signIn', { username: 'nobody', password: 'definitely wrong' });
    expect(!unknown.ok && unknown.error.code).toBe('wrong-password');
    expect(await dbFiles(c.dataDir)).toEqual(before);
    expect((await c.api.call('session.signIn', { username: 'admin', password: adminPassword })).ok).toBe(true);
  });

  it('keeps a lockout across a restart of the app', async () => {
    const c = await clinic();
    value(await c.api.call('session.signOut', {}));
    for (let i = 0; i < 5; i++) await c.api.call('session.signIn', { username: 'admin', password: `wrong ${i}` });
    await c.engine.close();
    const again = await openEngine(c.dataDir);
    cleanups.push(() => again.engine.close());
    const r = await again.api.call('session.signIn', { username: 'admin', password: adminPassword });
    expect(!r.ok && r.error.code).toBe('locked-out');
  });

  it('delays each further failure longer, up to a ceiling, and a success clears the count', async () => {
    const dir = await tempDir();
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const attempts = await SignInAttempts.load(join(dir, 'attempts.json'), { maxFailures: 10, lockoutMs: 60_000, baseDelayMs: 500, maxDelayMs: 8_000 });
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) delays.push((await attempts.recordFailure('fran')).delayMs);
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
    await attempts.recordSuccess('fran');
    expect((await attempts.recordFailure('fran')).delayMs).toBe(500);
  });
});

describe('sessions', () => {
  it('locks itself after the configured inactivity and unlocks only with the same password', async () => {
    const c = await clinic();
    cleanups.pop();
    await c.engine.close();
    const { engine, api } = await openEngine(c.dataDir, { autoLockCheckMs: 20 });
    cleanups.push(c.cleanup, () => engine.close());
    value(await api.call('session.signIn', { username: 'admin', password: adminPassword }));
    value(await api.call('settings.update', { autoLockSeconds: 15 }));
    const locked = new Promise<EventPayload<'session.locked'>>((res) => api.on('session.locked', res));
    // Pretend the last activity was 16 s ago rather than waiting.
    const s = engine.sessions.current();
    if (!s) throw new Error('no session');
    s.lastActivity -= 16_000;
    expect(await locked).toEqual({ reason: 'inactivity' });
    const refused = await api.call('patients.search', { query: 'x' });
    expect(!refused.ok && refused.error.code).toBe('session-locked');
    expect(value(await api.call('session.current', {}))?.state).toBe('locked');
    const wrong = await api.call('session.unlock', { password: 'not it at all' });
    expect(!wrong.ok && wrong.error.code).toBe('wrong-password');
    expect(value(await api.call('session.unlock', { password: adminPassword })).state).toBe('active');
  });

  it('refuses an auto-lock setting outside 15 seconds to 8 hours', async () => {
    const c = await clinic();
    for (const autoLockSeconds of [0, 14, 8 * 3600 + 1]) {
      const r = await c.api.call('settings.update', { autoLockSeconds });
      expect(!r.ok && r.error.code).toBe('invalid-input');
    }
    expect(value(await c.api.call('settings.get', {})).autoLockSeconds).toBe(600);
  });

  it('ends the first session when another user signs in', async () => {
    const c = await clinic();
    value(await c.api.call('users.create', { username: 'nia', displayName: 'Nia Nurse', roles: ['nurse'], password: 'nurse-passphrase-1' }));
    const ended = new Promise<EventPayload<'session.ended'>>((res) => c.api.on('session.ended', res));
    const s = value(await c.api.call('session.signIn', { username: 'nia', password: 'nurse-passphrase-1' }));
    expect(await ended).toEqual({ reason: 'other-user' });
    expect(s.user.username).toBe('nia');
    const denied = await c.api.call('users.list', {});
    expect(!denied.ok && denied.error.code).toBe('permission-denied');
  });

  it('signs out: calls need a session again', async () => {
    const c = await clinic();
    value(await c.api.call('session.signOut', {}));
    const r = await c.api.call('patients.search', { query: 'x' });
    expect(!r.ok && r.error.code).toBe('not-signed-in');
    expect(value(await c.api.call('session.current', {}))).toBeNull();
  });
});

describe('user administration', () => {
  it('disabling a user stops their sign-in; a password reset re-wraps the key and re-enables them', async () => {
    const c = await clinic();
    const fran = value(await c.api.call('users.create', { username: 'fran', displayName: 'Fran', roles: ['front-desk'], password: 'front-desk-passphrase' }));
    value(await c.api.call('users.disable', { userId: fran.id }));
    const keyring = JSON.parse(await readFile(join(c.dataDir, 'keyring.json'), 'utf8')) as { users: { username: string }[] };
    expect(keyring.users.map((u) => u.username)).toEqual(['admin']);
    value(await c.api.call('session.signOut', {}));
    const refused = await c.api.call('session.signIn', { username: 'fran', password: 'front-desk-passphrase' });
    expect(refused.ok).toBe(false);

    value(await c.api.call('session.signIn', { username: 'admin', password: adminPassword }));
    value(await c.api.call('users.resetPassword', { userId: fran.id, newPassword: 'a-brand-new-passphrase' }));
    value(await c.api.call('session.signOut', {}));
    const old = await c.api.call('session.signIn', { username: 'fran', password: 'front-desk-passphrase' });
    expect(!old.ok && old.error.code).toBe('wrong-password');
    expect(value(await c.api.call('session.signIn', { username: 'fran', password: 'a-brand-new-passphrase' })).user.username).toBe('fran');
  });

  it('lets a user change their own password only with the current one', async () => {
    const c = await clinic();
    const wrong = await c.api.call('session.changePassword', { currentPassword: 'not my password', newPassword: 'my-new-long-passphrase' });
    expect(!wrong.ok && wrong.error.code).toBe('wrong-password');
    value(await c.api.call('session.changePassword', { currentPassword: adminPassword, newPassword: 'my-new-long-passphrase' }));
    value(await c.api.call('session.signOut', {}));
    expect((await c.api.call('session.signIn', { username: 'admin', password: adminPassword })).ok).toBe(false);
    expect((await c.api.call('session.signIn', { username: 'admin', password: 'my-new-long-passphrase' })).ok).toBe(true);
  });

  it('enforces the password policy and keeps at least one admin', async () => {
    const c = await clinic({ roles: ['admin'] });
    for (const password of ['short-pass', 'password1234', 'aaaaaaaaaaaaaaaa']) {
      const r = await c.api.call('users.create', { username: 'weak', displayName: 'Weak', roles: ['nurse'], password });
      expect(!r.ok && r.error.code, password).toBe('invalid-input');
    }
    const me = value(await c.api.call('session.current', {}));
    const demote = await c.api.call('users.update', { userId: me!.user.id, displayName: 'Ada', roles: ['physician'] });
    expect(!demote.ok && demote.error.code).toBe('last-admin');
    const taken = await c.api.call('users.create', { username: 'ADMIN', displayName: 'Other', roles: ['nurse'], password: 'another-long-passphrase' });
    expect(!taken.ok && taken.error.code).toBe('username-taken');
  });
});

describe('status polls', () => {
  it('do not keep an idle session from locking', async () => {
    const c = await setUpClinic();
    cleanups.push(c.cleanup);
    const s = c.engine.sessions.current();
    if (!s) throw new Error('no session');
    const before = s.lastActivity;
    await new Promise((r) => setTimeout(r, 5));
    value(await c.api.call('sync.status', {}));
    value(await c.api.call('session.current', {}));
    expect(c.engine.sessions.current()?.lastActivity).toBe(before);
    value(await c.api.call('session.activity', {}));
    expect(c.engine.sessions.current()?.lastActivity).toBeGreaterThan(before);
  });
});
