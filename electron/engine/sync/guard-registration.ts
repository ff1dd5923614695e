// Gives the cloud this workstation's sign-in guard secret (sign-in-guard.ts) once the
// workstation is enrolled and holds the clinic key: a sync round does it when the credential
// kept is missing, damaged, or for another enrolment. The secret is new each time, so a copy of
// an old credential stops working.
import { randomBytes } from 'node:crypto';
import { cloudRequest } from './cloud-http';
import { type GuardCredential, type GuardPlace, guardSubjectKey } from './sign-in-guard';

/** What keeps the credential (the engine's SignInGuard). */
export interface GuardKeeper {
  holdsFor(place: GuardPlace, subjectKid: string): boolean;
  keep(credential: GuardCredential): Promise<void>;
}

/** Answers whether it registered a new credential. `first`: the tenant key with the lowest key id held. */
export async function registerSignInGuard(keeper: GuardKeeper, id: GuardPlace, token: string, first: { kid: string; key: Buffer } | null): Promise<boolean> {
  const place = { cloudUrl: id.cloudUrl, tenantId: id.tenantId, deviceId: id.deviceId };
  if (!first || keeper.holdsFor(place, first.kid)) return false;
  const secret = randomBytes(32).toString('base64url');
  await cloudRequest(id.cloudUrl, 'putSignInGuard', { params: { tenantId: id.tenantId }, body: { secret }, token });
  await keeper.keep({ ...place, secret, subjectKid: first.kid, subjectKey: guardSubjectKey(first.key, id.tenantId) });
  return true;
}
