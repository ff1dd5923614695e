// The clinic-wide lockout, as this workstation asks it before anyone is signed in: its guard
// credential (the cloud's address, the device, a guard secret good only for the lockout routes,
// and the key usernames are hashed under) lives in the data dir outside the database, sealed by
// the device's key protector (the OS keystore in the app). It also asks whether a clinic-wide
// lockdown holds this workstation (lockdown/lockdown-watch.ts), and the update feed is asked with it. Each question waits at most a
// moment: a cloud out of reach answers "not known", and the workstation's own count still holds.
import { createHmac, hkdfSync } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { z } from 'zod';
import type { Lockdown } from '../../../shared/domain/lockdown';
import type { FailureCount } from '../../../shared/domain/sign-in-lockout';
import type { KeyProtector } from '../keys/key-protector';
import type { Logger } from '../logger';
import type { RouteAnswer } from '../../../shared/cloud-api/routes';
import { CloudError, cloudRequest } from './cloud-http';
import { writeFileAtomic } from '../util/atomic-file';

/** Where and as whom to ask. */
export interface GuardPlace {
  readonly cloudUrl: string;
  readonly tenantId: string;
  readonly deviceId: string;
}

export interface GuardCredential extends GuardPlace {
  readonly secret: string;
  /** The tenant key the subject key comes from: a lower one arriving later means a new credential. */
  readonly subjectKid: string;
  /** HMAC key for usernames: the same on every workstation of the clinic (guardSubjectKey). */
  readonly subjectKey: Buffer;
}

/** What the session asks before and after checking a password; each answers soon when offline. */
export interface ClinicWideLockout {
  /** Milliseconds left on the clinic's lockout of this username (0: none, or not known). */
  lockedFor(username: string): Promise<number>;
  /** Reports a wrong password; answers the clinic's count after it, or null when the cloud did not answer. */
  failed(username: string): Promise<FailureCount | null>;
  succeeded(username: string): Promise<void>;
}

/**
 * The username key, from the clinic's first tenant key, which every workstation of the clinic
 * holds (a newcomer is given every key): so every workstation hashes a username the same way,
 * and the cloud, which never holds a tenant key, cannot tell which username it counts.
 */
export function guardSubjectKey(firstTenantKey: Buffer, tenantId: string): Buffer {
  return Buffer.from(hkdfSync('sha256', firstTenantKey, Buffer.from(tenantId), 'chartroom/sign-in-guard-subject/v1', 32));
}

const File = z.object({ v: z.literal(1), cloudUrl: z.string(), tenantId: z.string(), deviceId: z.string(), subjectKid: z.string(), sealed: z.string() });
const Sealed = z.object({ secret: z.string(), subjectKey: z.string() });

/** How long a sign-in waits for the cloud's answer before going on with the local count alone. */
const ASK_MS = 2_000;

export class SignInGuard implements ClinicWideLockout {
  private credential: GuardCredential | null = null;

  private constructor(private readonly file: string, private readonly protector: KeyProtector, private readonly logger: Logger) {}

  /** Reads the credential if there is one; a damaged one or one the protector cannot open is as none (the next sync round makes another). */
  static async load(file: string, protector: KeyProtector, logger: Logger): Promise<SignInGuard> {
    const guard = new SignInGuard(file, protector, logger);
    try {
      const f = File.parse(JSON.parse(await readFile(file, 'utf8')));
      const inner = Sealed.parse(JSON.parse((await protector.unprotect(Buffer.from(f.sealed, 'base64'))).toString('utf8')));
      guard.credential = { cloudUrl: f.cloudUrl, tenantId: f.tenantId, deviceId: f.deviceId, subjectKid: f.subjectKid, secret: inner.secret, subjectKey: Buffer.from(inner.subjectKey, 'base64') };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') logger.warn({ event: 'sign-in-guard.unreadable' }, 'the sign-in guard credential could not be read; a new one is made at the next sync');
    }
    return guard;
  }

  /** Whether the credential held is for this place and key (so a sync round need not make one). */
  holdsFor(place: GuardPlace, subjectKid: string): boolean {
    const c = this.credential;
    return !!c && c.cloudUrl === place.cloudUrl && c.tenantId === place.tenantId && c.deviceId === place.deviceId && c.subjectKid === subjectKid;
  }

  /** Keeps a credential the cloud has just been given. */
  async keep(credential: GuardCredential): Promise<void> {
    const sealed = await this.protector.protect(Buffer.from(JSON.stringify({ secret: credential.secret, subjectKey: credential.subjectKey.toString('base64') })));
    const f: z.infer<typeof File> = { v: 1, cloudUrl: credential.cloudUrl, tenantId: credential.tenantId, deviceId: credential.deviceId, subjectKid: credential.subjectKid, sealed: sealed.toString('base64') };
    await writeFileAtomic(this.file, JSON.stringify(f), 0o600);
    this.credential = credential;
  }

  /** Where and with what this workstation asks its update feed (updates/update-service.ts); null before its first sync. */
  updateCredential(): (GuardPlace & { readonly secret: string }) | null {
    const c = this.credential;
    return c && { cloudUrl: c.cloudUrl, tenantId: c.tenantId, deviceId: c.deviceId, secret: c.secret };
  }

  /** A revoked workstation: the credential goes with its other keys. */
  async forget(): Promise<void> {
    this.credential = null;
    await rm(this.file, { force: true });
  }

  async lockedFor(username: string): Promise<number> {
    const answer = await this.ask('signInLockout', username);
    const until = answer?.lockedUntil ? Date.parse(answer.lockedUntil) : 0;
    return Math.max(0, until - Date.now());
  }

  async failed(username: string): Promise<FailureCount | null> {
    const answer = await this.ask('signInFailure', username);
    return answer && { failures: answer.failures, lockedUntil: answer.lockedUntil ? Date.parse(answer.lockedUntil) : 0 };
  }

  async succeeded(username: string): Promise<void> {
    await this.ask('signInSuccess', username);
  }

  /** The lockdown holding this workstation (null: none), or undefined when there is no credential or no answer. */
  async lockdownStatus(): Promise<Lockdown | null | undefined> {
    const c = this.credential;
    if (!c) return undefined;
    try {
      return (await cloudRequest(c.cloudUrl, 'lockdownStatus', { params: { tenantId: c.tenantId, deviceId: c.deviceId }, guard: c.secret, timeoutMs: ASK_MS })).lockdown;
    } catch (e) {
      if (!(e instanceof CloudError)) throw e;
      this.logger.info({ event: 'lockdown.unanswered', code: e.code }, 'the lockdown could not be asked');
      return undefined;
    }
  }

  /** The cloud's answer, or null when there is no credential or no answer. */
  private async ask<N extends 'signInLockout' | 'signInFailure' | 'signInSuccess'>(route: N, username: string): Promise<RouteAnswer<N> | null> {
    const c = this.credential;
    if (!c) return null;
    const subject = createHmac('sha256', c.subjectKey).update(username.trim().toLowerCase()).digest('hex');
    try {
      // The three routes take the same params and body.
      const input = { params: { tenantId: c.tenantId, deviceId: c.deviceId }, body: { subject }, guard: c.secret, timeoutMs: ASK_MS };
      return (await cloudRequest(c.cloudUrl, route as 'signInFailure', input)) as RouteAnswer<N>;
    } catch (e) {
      if (!(e instanceof CloudError)) throw e;
      // Offline, or the cloud does not know this credential (revoked, or replaced): the local count stands.
      this.logger.info({ event: 'sign-in-guard.unanswered', code: e.code }, 'the clinic lockout could not be asked');
      return null;
    }
  }
}
