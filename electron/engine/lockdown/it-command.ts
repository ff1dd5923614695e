// IT's commands to the clinic's cloud, from any machine and without a workstation: lock every
// workstation down, lift one, revoke one, or ask where things stand. Each is signed with the
// clinic's IT key, which only the recovery code gives (keys/tenant-key-wrap.ts), carries its
// time and a fresh nonce (the cloud refuses a stale or replayed one), and travels over the same
// route table as everything else.
import { randomBytes, sign } from 'node:crypto';
import { type ItAnswer, itCommandChallenge, type ItCommandName } from '../../../shared/domain/lockdown';
import { type ErrorCode, errorCodes, fail, ok, type Result } from '../../../shared/errors';
import { itSigningKey } from '../keys/tenant-key-wrap';
import { CloudError, cloudRequest } from '../sync/cloud-http';

export interface ItCommandInput {
  readonly cloudUrl: string;
  readonly tenantId: string;
  readonly recoveryCode: string;
  readonly command: ItCommandName;
  /** The workstation a lift or revoke is for. */
  readonly deviceId?: string;
}

export async function sendItCommand(input: ItCommandInput): Promise<Result<ItAnswer>> {
  const { privateKey } = await itSigningKey(input.recoveryCode, input.tenantId);
  const unsigned = { command: input.command, deviceId: input.deviceId ?? null, at: new Date().toISOString(), nonce: randomBytes(16).toString('base64url') };
  const signature = sign(null, Buffer.from(itCommandChallenge(input.tenantId, unsigned)), privateKey).toString('base64');
  try {
    return ok(await cloudRequest(input.cloudUrl.replace(/\/+$/, ''), 'itCommand', { params: { tenantId: input.tenantId }, body: { ...unsigned, signature } }));
  } catch (e) {
    if (!(e instanceof CloudError)) throw e;
    const code = (errorCodes as readonly string[]).includes(e.code) ? (e.code as ErrorCode) : 'cloud-unreachable';
    return fail(code, e.message);
  }
}
