// The engine's checks of an update (issue 13), before electron-updater downloads it and again
// before it may install: the feed answer is this workstation's, stamped by the feed key it
// knows and not expired; every file is signed by a vendor key the app trusts for that version
// and channel; the version is not older than the running one unless the vendor signed a
// rollback to it; and the downloaded file is the one signed (its SHA-512). Each refusal is a
// value with its code and words, never a throw.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import semver from 'semver';
import { fail, ok, type Result } from '../../../shared/errors';
import { verifyEd25519 } from '../../../shared/updates/ed25519';
import { FeedAnswer, stampStatement } from '../../../shared/updates/release';
import { verifyFileSignature, verifyRollbackGrant } from '../../../shared/updates/verify-release';

export interface Trust {
  /** The vendor keys this build trusts (shared/updates/release-keys.ts). */
  readonly keys: readonly string[];
  readonly running: string;
  /** The channel this workstation's build came from, when known. */
  readonly runningChannel: string | null;
  readonly deviceId: string;
  /** The feed key kept from the first answer (null: none yet; this answer's is kept). */
  readonly feedKey: string | null;
  readonly now: Date;
}

export interface Screened {
  readonly answer: FeedAnswer;
  /** Older than the running version, with the vendor's grant. */
  readonly rollback: boolean;
}

/** How far a stamp's time may be ahead of this clock (clocks drift; a stamp from the future is not fresher). */
const CLOCK_SKEW_MS = 5 * 60_000;

export async function screenOffer(info: unknown, t: Trust): Promise<Result<Screened>> {
  const parsed = FeedAnswer.safeParse(info);
  if (!parsed.success) return fail('bad-signature', 'The update feed’s answer carries no Chartroom signatures: it is not the clinic’s feed.');
  const answer = parsed.data;
  const { stamp, channel } = answer.chartroom;
  if (t.feedKey && stamp.key !== t.feedKey) return fail('bad-signature', 'The update feed’s answer is stamped with a key other than the clinic cloud’s.');
  if (!(await verifyEd25519(stamp.key, stampStatement(stamp), stamp.signature))) return fail('bad-signature', 'The update feed’s stamp is not signed by its key.');
  if (stamp.deviceId !== t.deviceId || stamp.version !== answer.version) return fail('bad-signature', 'The update feed’s answer was made for another workstation or version.');
  const now = t.now.getTime();
  if (Date.parse(stamp.expiresAt) <= now) return fail('stale-feed', `The update feed’s answer expired at ${stamp.expiresAt}: an old answer is being replayed, or this clock is wrong.`);
  if (Date.parse(stamp.issuedAt) > now + CLOCK_SKEW_MS) return fail('stale-feed', 'The update feed’s answer is dated in the future: check this workstation’s clock.');
  for (const f of answer.files) {
    const s = answer.chartroom.signatures.find((x) => x.file === fileNameOf(f.url));
    if (!s) return fail('bad-signature', `${fileNameOf(f.url)} is not signed by the vendor.`);
    if (s.sha512 !== f.sha512) return fail('hash-mismatch', `${fileNameOf(f.url)} is not the file the vendor signed.`);
    const v = await verifyFileSignature(t.keys, { channel, version: answer.version }, s);
    if (!v.ok) return v;
  }
  const older = semver.lt(answer.version, t.running);
  if (older) {
    const grant = answer.chartroom.rollback;
    const granted = grant && grant.version === answer.version && grant.channel === channel && (await verifyRollbackGrant(t.keys, grant)).ok;
    if (!granted) {
      if (t.runningChannel && t.runningChannel !== channel) {
        return fail('downgrade-refused', `Moving to the ${channel} channel would go back from ${t.running} to ${answer.version}: this workstation stays on ${t.running} until ${channel} passes it.`);
      }
      return fail('downgrade-refused', `${answer.version} is older than ${t.running}, and the vendor has not signed a rollback to it.`);
    }
  }
  return ok({ answer, rollback: older });
}

/** A downloaded file checked against the answer it came from: it must be a file the vendor signed. */
export async function checkDownload(info: unknown, file: string, t: Trust): Promise<Result<Screened & { file: string }>> {
  const screened = await screenOffer(info, t);
  if (!screened.ok) return screened;
  const sha512 = await sha512Of(file);
  if (!screened.value.answer.files.some((f) => f.sha512 === sha512)) {
    return fail('hash-mismatch', `The downloaded update is not the file the vendor signed for ${screened.value.answer.version} (its SHA-512 differs).`);
  }
  return ok({ ...screened.value, file });
}

const fileNameOf = (url: string) => url.slice(url.lastIndexOf('/') + 1);

async function sha512Of(path: string): Promise<string> {
  const h = createHash('sha512');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('base64');
}
