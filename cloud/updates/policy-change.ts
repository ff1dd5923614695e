// One change to an update policy, by IT (the Updates page or the CLI): checked against the
// releases (a release promoted or pinned must be published on the policy's channel; a rollback
// needs the vendor's grant), applied (shared/updates/policy.ts) and kept as the policy's next
// version. Online workstations are told at once, so they ask the feed without waiting.
import { fail, ok, type Result } from '../../shared/errors';
import { applyChange, DEFAULT_POLICY, type PolicyChange } from '../../shared/updates/policy';
import type { EventStore, PolicyRecord, ReleaseStore } from '../store/store';

export interface PolicyChangeDeps {
  readonly releases: ReleaseStore;
  readonly events: Pick<EventStore, 'notify'>;
}

export async function changePolicy(deps: PolicyChangeDeps, tenantId: string, group: string | null, change: PolicyChange, by: string, expectSeq: number | null): Promise<Result<PolicyRecord>> {
  const { releases } = deps;
  const current = (await releases.policy(tenantId, group)) ?? (group ? await releases.policy(tenantId, null) : null);
  const own = await releases.policy(tenantId, group);
  const seq = own?.seq ?? 0;
  if (expectSeq !== null && expectSeq !== seq) return fail('invalid-transition', 'The update policy was changed meanwhile: look at it again.');
  const before = current?.policy ?? DEFAULT_POLICY;
  const version = change.kind === 'promote' || change.kind === 'pin' || change.kind === 'rollback' ? change.version : null;
  if (version) {
    const release = await releases.release(version);
    if (!release) return fail('no-such-release', `No release ${version} is published.`);
    if (change.kind !== 'rollback' && release.channel !== before.channel) return fail('invalid-input', `The release ${version} is on the ${release.channel} channel, not ${before.channel}.`);
    if (change.kind === 'rollback' && !(await releases.rollbackGrant(release.channel, version))) {
      return fail('no-such-release', `The vendor has not signed a rollback to ${version}: without it workstations refuse an older version.`);
    }
  }
  if (change.kind === 'halt' && !before.stage) return fail('invalid-transition', 'No release is being rolled out.');
  const policy = applyChange(before, change);
  const at = new Date().toISOString();
  if ((await releases.setPolicy(tenantId, group, policy, by, at, seq)) === 'stale') return fail('invalid-transition', 'The update policy was changed meanwhile: look at it again.');
  await deps.events.notify(tenantId, 'updates');
  return ok({ policy, seq: seq + 1, by, at });
}
