// The clinic's update feed, decided per workstation: its group's policy (or the clinic's), the
// offer that policy gives it (shared/updates/policy.ts), and that release's manifest for its
// platform as electron-updater's `latest*.yml`, with the vendor's signatures, a rollback's
// grant and the cloud's stamp under `chartroom:`. Every answer is recorded as an offer.
import { dump } from 'js-yaml';
import { fail, ok, type Result } from '../../shared/errors';
import { DEFAULT_POLICY, type Offer, offerFor, type UpdatePolicy } from '../../shared/updates/policy';
import type { FeedAnswer } from '../../shared/updates/release';
import type { ReleaseStore } from '../store/store';
import type { FeedKey } from './feed-key';

export interface FeedDeps {
  readonly releases: ReleaseStore;
  readonly feedKey: FeedKey;
  readonly now: () => Date;
}

/** The policy in force for a workstation: its group's, else the clinic's, else the default. */
export async function policyFor(releases: ReleaseStore, tenantId: string, deviceId: string): Promise<UpdatePolicy> {
  const group = (await releases.deviceGroups(tenantId)).get(deviceId) ?? null;
  const record = (group ? await releases.policy(tenantId, group) : null) ?? (await releases.policy(tenantId, null));
  return record?.policy ?? DEFAULT_POLICY;
}

export interface FeedResult {
  readonly offer: Offer;
  readonly answer: FeedAnswer;
  readonly yaml: string;
}

/**
 * The feed's answer for one workstation on one platform (`''` Windows, `linux`, `mac`), given
 * the version it runs: with no offer, its own release (so it sees nothing newer); none at all
 * is `no-such-release`.
 */
export async function answerFeed(deps: FeedDeps, tenantId: string, deviceId: string, platform: string, running: string | null): Promise<Result<FeedResult>> {
  const policy = await policyFor(deps.releases, tenantId, deviceId);
  const offer = offerFor(policy, deviceId) ?? (running ? { version: running, reason: 'base' as const } : null);
  if (!offer) return fail('no-such-release', 'No release is offered to this workstation yet.');
  const release = await deps.releases.release(offer.version);
  const files = release?.manifests[platform];
  if (!release || !files?.length) return fail('no-such-release', `The release ${offer.version} has no build for this kind of workstation.`);
  const grant = offer.reason === 'rollback' ? await deps.releases.rollbackGrant(release.channel, release.version) : null;
  const now = deps.now();
  const answer: FeedAnswer = {
    version: release.version,
    files: files.map((f) => ({ url: `${release.version}/${f.file}`, sha512: f.sha512, size: f.size })),
    releaseDate: release.releaseDate,
    ...(offer.reason === 'stage' && policy.stage ? { stagingPercentage: policy.stage.percent } : {}),
    chartroom: {
      channel: release.channel,
      signatures: release.signatures.filter((s) => files.some((f) => f.file === s.file)),
      rollback: grant,
      stamp: deps.feedKey.stamp(deviceId, release.version, now),
      window: policy.window,
    },
  };
  const first = answer.files[0];
  // `path` and `sha512` at the top are what electron-updater reads from older manifests.
  const yaml = dump({ version: answer.version, files: answer.files, path: first?.url, sha512: first?.sha512, releaseDate: answer.releaseDate, ...(answer.stagingPercentage === undefined ? {} : { stagingPercentage: answer.stagingPercentage }), chartroom: answer.chartroom }, { lineWidth: -1 });
  await deps.releases.recordUpdateEvent(tenantId, { deviceId, kind: 'offer', version: release.version, channel: release.channel, detail: offer.reason, at: now.toISOString() });
  return ok({ offer, answer, yaml });
}
