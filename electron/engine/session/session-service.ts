// Who is signed in on this workstation: sign-in (with delays and lockout after wrong
// passwords; none at all while a clinic-wide lockdown holds the workstation), the lock and unlock, the inactivity timer, another user taking over, sign-out.
// A session exists only while the clinic is open: sign-in opens it, sign-out closes it.
// Wrong passwords are counted here and, while the cloud answers, for the whole clinic: a
// username locked on one workstation is locked on every online one (sync/sign-in-guard.ts).
import { setTimeout as sleep } from 'node:timers/promises';
import { defaultSettings } from '../../../shared/domain/settings';
import type { SessionInfo, User } from '../../../shared/domain/user';
import { fail, ok, type Result } from '../../../shared/errors';
import type { OpenClinic } from '../clinic/open-clinic';
import type { Announce } from '../events';
import type { UserWraps } from './user-wraps';
import type { Logger } from '../logger';
import type { WorkstationState } from '../workstation/workstation-state';
import type { SignInAttempts } from '../auth/sign-in-attempts';
import type { ClinicWideLockout } from '../sync/sign-in-guard';
import { findUser } from '../auth/users';

export interface Session {
  user: User;
  state: 'active' | 'locked';
  lastActivity: number;
}

export interface SessionDeps {
  readonly state: WorkstationState;
  readonly attempts: SignInAttempts;
  readonly clinicWide: ClinicWideLockout;
  readonly wraps: UserWraps;
  readonly events: Announce;
  readonly logger: Logger;
  /** Opens the clinic under the database key (or answers the one already open). */
  openClinic(dk: Buffer): Promise<Result<OpenClinic>>;
  closeClinic(): Promise<void>;
  /** How often inactivity is checked. */
  readonly checkEveryMs?: number;
  /** A clinic-wide lockdown refuses every sign-in here (lockdown/lockdown-watch.ts). */
  readonly lockdown: { refusal(): Promise<Result<never> | null> };
}

export class SessionService {
  private session: Session | null = null;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly deps: SessionDeps) {
    this.timer = setInterval(() => this.checkInactivity(), deps.checkEveryMs ?? 1000);
    this.timer.unref();
  }

  current(): Session | null {
    return this.session;
  }

  /** The session as the UI sees it, or null when nobody is signed in. */
  info(): SessionInfo | null {
    return this.session ? this.infoOf(this.session) : null;
  }

  private infoOf(s: Session): SessionInfo {
    const autoLockSeconds = (this.deps.state.clinic?.settings ?? defaultSettings).autoLockSeconds;
    return { user: s.user, state: s.state, workstationId: this.deps.state.workstationId, autoLockSeconds };
  }

  /** Starts a session for a user whose clinic was just set up (already open). */
  begin(user: User): SessionInfo {
    this.session = { user, state: 'active', lastActivity: Date.now() };
    return this.infoOf(this.session);
  }

  async signIn(username: string, password: string): Promise<Result<SessionInfo>> {
    const keyring = this.deps.state.keyring;
    if (!keyring) return fail('not-initialized', 'This workstation has not been set up yet.');
    // The lockdown is asked (here, else at the cloud) while the password is checked.
    const [refused, checked] = await Promise.all([this.deps.lockdown.refusal(), this.checkPassword(username, password, async () => {
      const u = await keyring.unwrap(username, password);
      return u && { value: u, wipe: () => u.dk.fill(0) };
    })]);
    if (refused) {
      if (checked.ok) checked.value.dk.fill(0);
      return refused;
    }
    if (!checked.ok) return checked;
    const unwrapped = checked.value;
    const opened = await this.deps.openClinic(unwrapped.dk);
    if (!opened.ok) return opened;
    const clinic = opened.value;
    const user = await clinic.db.read((tx) => findUser(tx, unwrapped.userId));
    if (!user) return this.failedAttempt(username);
    if (user.disabled) return fail('user-disabled', 'This account is disabled. Ask a practice admin.');
    await this.succeeded(username);
    await this.deps.wraps.settle(user, password, unwrapped.firstHere);
    if (this.session && this.session.user.id !== user.id) this.deps.events.emit('session.ended', { reason: 'other-user' });
    const session: Session = { user, state: 'active', lastActivity: Date.now() };
    this.session = session;
    await clinic.write((m) => m.audit({ userId: user.id, username: user.username, action: 'session.signIn', patientId: null, outcome: 'success', detail: null }));
    this.deps.logger.info({ event: 'session.signIn' }, 'signed in');
    return ok(this.infoOf(session));
  }

  async unlock(password: string): Promise<Result<SessionInfo>> {
    const checked = await this.checkOwnPassword(password);
    if (!checked.ok) return checked;
    if (!this.session) return fail('not-signed-in', 'Nobody is signed in.');
    this.session.state = 'active';
    this.session.lastActivity = Date.now();
    return ok(this.infoOf(this.session));
  }

  lock(reason: 'inactivity' | 'user'): void {
    if (!this.session || this.session.state === 'locked') return;
    this.session.state = 'locked';
    this.deps.events.emit('session.locked', { reason });
  }

  async signOut(reason: 'signed-out' | 'user-disabled' = 'signed-out'): Promise<void> {
    const s = this.session;
    const clinic = this.deps.state.clinic;
    if (s && clinic) {
      await clinic.write((m) => m.audit({ userId: s.user.id, username: s.user.username, action: 'session.signOut', patientId: null, outcome: 'success', detail: null }));
    }
    this.session = null;
    await this.deps.closeClinic();
    this.deps.events.emit('session.ended', { reason });
  }

  /** The session ends without a word to the clinic (revocation, shutdown). */
  forget(): void {
    this.session = null;
  }

  touch(): void {
    if (this.session?.state === 'active') this.session.lastActivity = Date.now();
  }

  /** An admin changed the signed-in user's account: the session shows it at once. */
  refreshUser(user: User): void {
    if (this.session?.user.id === user.id) this.session.user = user;
  }

  /**
   * Checks the signed-in user's password (before a password change) with the same lockout and
   * delays as sign-in, without touching the database.
   */
  async checkOwnPassword(password: string): Promise<Result<true>> {
    const s = this.session;
    const keyring = this.deps.state.keyring;
    if (!s || !keyring) return fail('not-signed-in', 'Nobody is signed in.');
    const checked = await this.checkPassword(s.user.username, password, async () => {
      const u = await keyring.unwrap(s.user.username, password);
      return u && u.userId === s.user.id ? { value: true as const, wipe: () => u.dk.fill(0) } : null;
    });
    if (!checked.ok) return checked;
    await this.succeeded(s.user.username);
    return ok(true);
  }

  /**
   * A password check under both counts: refused at once while this workstation's own lockout
   * lasts; else the password is tried while the clinic's count is asked, and a clinic-wide
   * lockout refuses even the right password (whose key is wiped). A wrong one is counted in both.
   */
  private async checkPassword<T>(username: string, password: string, attempt: () => Promise<{ value: T; wipe: () => void } | null>): Promise<Result<T>> {
    const lockedMs = this.deps.attempts.lockedFor(username);
    if (lockedMs > 0) return this.lockedOut(lockedMs);
    const [tried, clinicLockMs] = await Promise.all([attempt(), this.deps.clinicWide.lockedFor(username)]);
    if (clinicLockMs > 0) {
      tried?.wipe();
      await this.deps.attempts.holdUntil(username, Date.now() + clinicLockMs);
      return this.lockedOut(clinicLockMs);
    }
    if (!tried) return this.failedAttempt(username);
    return ok(tried.value);
  }

  /** Clears both counts; the sign-in does not wait for the cloud's (a slow network must not slow every sign-in). */
  private async succeeded(username: string): Promise<void> {
    await this.deps.attempts.recordSuccess(username);
    void this.deps.clinicWide.succeeded(username).catch((e: unknown) => this.deps.logger.error({ event: 'sign-in-guard.failed', err: { type: (e as Error).name } }, 'clearing the clinic count failed'));
  }

  close(): void {
    clearInterval(this.timer);
    this.session = null;
  }

  private checkInactivity(): void {
    const s = this.session;
    const seconds = this.deps.state.clinic?.settings.autoLockSeconds;
    if (s?.state === 'active' && seconds !== undefined && Date.now() - s.lastActivity >= seconds * 1000) this.lock('inactivity');
  }

  private lockedOut(ms: number): Result<never> {
    const minutes = Math.ceil(ms / 60_000);
    // The count is the clinic's: the person locked out may not be the one who typed wrong.
    return fail('locked-out', `Too many wrong passwords for this username, on this or another of the clinic’s workstations. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`, { retryAfterSeconds: Math.ceil(ms / 1000) });
  }

  private async failedAttempt(username: string): Promise<Result<never>> {
    const [{ delayMs }, clinic] = await Promise.all([this.deps.attempts.recordFailure(username), this.deps.clinicWide.failed(username)]);
    // Online, the clinic's count is this workstation's too; its lockout then holds here if the
    // cloud goes out of reach.
    if (clinic) await this.deps.attempts.adopt(username, clinic);
    const lockedMs = this.deps.attempts.lockedFor(username);
    this.deps.logger.warn({ event: 'session.failed-attempt', locked: lockedMs > 0 }, 'failed password attempt');
    await sleep(delayMs);
    if (lockedMs > 0) return this.lockedOut(lockedMs);
    return fail('wrong-password', 'The username or password is not right.');
  }
}
