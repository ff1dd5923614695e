// A clean machine joins its clinic with the recovery code alone, when no workstation is left to
// give it a code or share the clinic key: IT's key (from the code) signs its enrolment, and the
// clinic keys come from their wraps to the recovery key. What is then pulled is checked like any
// history; the machine is a new device of the clinic.
import { generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { itEnrollChallenge } from '../../../shared/domain/lockdown';
import { fail, ok, type Result } from '../../../shared/errors';
import { exportPrivate, generateBoxKeyPair, itSigningKey } from '../keys/tenant-key-wrap';
import { CloudError, cloudRequest } from './cloud-http';
import { probeCloud } from './cloud-probe';
import type { CloudSession } from './cloud-session';
import type { TenantKeys } from './tenant-keys';

const raw = (pub: KeyObject) => Buffer.from(pub.export({ format: 'jwk' }).x as string, 'base64url').toString('base64');

export async function enrollWithRecovery(
  session: CloudSession,
  keys: TenantKeys,
  place: { cloudUrl: string; tenantId: string; recoveryCode: string; deviceName: string },
): Promise<Result<{ tenantName: string; deviceId: string; number: number; keys: number }>> {
  const base = place.cloudUrl.replace(/\/+$/, '');
  const probe = await probeCloud(base);
  if (!probe.ok) return probe;
  const signing = generateKeyPairSync('ed25519');
  const box = generateBoxKeyPair();
  const it = await itSigningKey(place.recoveryCode, place.tenantId);
  const unsigned = { deviceName: place.deviceName, signingKey: raw(signing.publicKey), boxKey: box.publicKey.toString('base64'), at: new Date().toISOString(), nonce: randomBytes(16).toString('base64url') };
  const signature = sign(null, Buffer.from(itEnrollChallenge(place.tenantId, unsigned)), it.privateKey).toString('base64');
  try {
    const answer = await cloudRequest(base, 'itEnroll', { params: { tenantId: place.tenantId }, body: { ...unsigned, signature } });
    await session.store.local(async (tx) => {
      await tx.run('INSERT INTO sync_identity (id, cloud_url, tenant_id, device_id, signing_key, box_key, enrolled_at, device_name) VALUES (1, ?, ?, ?, ?, ?, ?, ?)', [
        base, answer.tenantId, answer.deviceId, exportPrivate(signing.privateKey), exportPrivate(box.privateKey), new Date().toISOString(), place.deviceName,
      ]);
      await tx.run('UPDATE workstation SET number = ?', [answer.number]);
    });
    const id = await session.identity();
    if (!id) throw new Error('identity missing after enrollment');
    const opened = await keys.takeWithRecovery(id, await session.token(), place.recoveryCode);
    if (opened === 0) return fail('wrong-recovery-code', 'The recovery code opens none of the clinic’s keys.');
    return ok({ tenantName: answer.tenantName, deviceId: answer.deviceId, number: answer.number, keys: opened });
  } catch (e) {
    if (!(e instanceof CloudError)) throw e;
    if (e.code === 'bad-signature') return fail('wrong-recovery-code', 'That recovery code is not this clinic’s (or the clinic ID is wrong).');
    if (e.code === 'no-it-key' || e.code === 'stale-command' || e.code === 'rate-limited') return fail(e.code, e.message);
    return fail('cloud-unreachable', e.message);
  }
}
