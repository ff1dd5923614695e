// `npm run cloud -- release …`: the vendor's signing commands (keygen, sign, sign-rollback, run
// on the offline machine) and the operator's (publish, add-rollback, list) and IT's (promote,
// halt, resume, pin, rollback) on the cloud's store. What each prints is for a person; nothing
// secret is printed.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fail, ok, type Result } from '../../shared/errors';
import { GroupName, type PolicyChange } from '../../shared/updates/policy';
import { Channel, RollbackGrant, Version } from '../../shared/updates/release';
import { RELEASE_KEYS } from '../../shared/updates/release-keys';
import { verifyRollbackGrant } from '../../shared/updates/verify-release';
import type { CloudStore } from '../store/store';
import { changePolicy } from './policy-change';
import { publishRelease } from './publish';
import { loadReleaseKey, makeReleaseKey, signReleaseDir, signRollback } from './sign';

export interface ReleaseArgs {
  readonly dir?: string;
  readonly channel?: string;
  readonly version?: string;
  readonly percent?: string;
  readonly tenant?: string;
  readonly group?: string;
  readonly 'key-file'?: string;
  readonly out?: string;
  readonly file?: string;
}

/** The keys a release must be signed with: the app's, or (for a test or a dev cloud) CHARTROOM_RELEASE_KEYS. */
export const trustedReleaseKeys = (): readonly string[] => process.env.CHARTROOM_RELEASE_KEYS?.split(',').filter(Boolean) ?? RELEASE_KEYS;

const need = (v: string | undefined, what: string): Result<string> => (v?.trim() ? ok(v.trim()) : fail('invalid-input', `${what} is required`));
const parse = <T>(schema: { safeParse(x: unknown): { success: true; data: T } | { success: false } }, v: string | undefined, what: string): Result<T> => {
  const r = schema.safeParse(v);
  return r.success ? ok(r.data) : fail('invalid-input', `${what} is not valid`);
};

/** The commands that need no store (run on the signing machine). */
export async function signingCommand(cmd: string, a: ReleaseArgs): Promise<Result<string> | null> {
  switch (cmd) {
    case 'keygen': {
      const out = need(a.out, '--out FILE');
      if (!out.ok) return out;
      const k = await makeReleaseKey(resolve(out.value));
      return ok(`release key ${k.keyId}\npublic key ${k.publicKey}\n(The private key is in ${out.value}, 0600. Keep it offline; list the public key in shared/updates/release-keys.ts.)`);
    }
    case 'sign': {
      const channel = parse(Channel, a.channel, '--channel stable|beta');
      const key = await loadReleaseKey(a['key-file'] ?? '');
      if (!channel.ok) return channel;
      if (!key.ok) return key;
      const r = await signReleaseDir(resolve(a.dir ?? 'dist'), channel.value, key.value);
      return r.ok ? ok(`signed ${r.value.files.length} files of ${r.value.version} for ${r.value.channel}`) : r;
    }
    case 'sign-rollback': {
      const channel = parse(Channel, a.channel, '--channel stable|beta');
      const version = parse(Version, a.version, '--version');
      const key = await loadReleaseKey(a['key-file'] ?? '');
      if (!channel.ok) return channel;
      if (!version.ok) return version;
      if (!key.ok) return key;
      return ok(JSON.stringify(await signRollback(channel.value, version.value, key.value)));
    }
    default:
      return null;
  }
}

/** The commands on the cloud's store. */
export async function storeCommand(store: CloudStore, cmd: string, a: ReleaseArgs): Promise<Result<string>> {
  const { releases } = store;
  switch (cmd) {
    case 'publish': {
      const channel = parse(Channel, a.channel, '--channel stable|beta');
      if (!channel.ok) return channel;
      const r = await publishRelease(releases, resolve(a.dir ?? 'dist'), channel.value, trustedReleaseKeys());
      return r.ok ? ok(`published ${r.value.version} on ${r.value.channel} (${Object.keys(r.value.manifests).map((p) => p || 'windows').join(', ')})`) : r;
    }
    case 'add-rollback': {
      let grant: RollbackGrant;
      try {
        grant = RollbackGrant.parse(JSON.parse(await readFile(resolve(a.file ?? ''), 'utf8')));
      } catch {
        return fail('invalid-input', '--file must be a rollback grant made by `release sign-rollback`');
      }
      const v = await verifyRollbackGrant(trustedReleaseKeys(), grant);
      if (!v.ok) return v;
      const put = await releases.putRollbackGrant(grant, new Date().toISOString());
      return put === 'conflict' ? fail('already-exists', 'Another grant for that rollback is kept.') : ok(`rollback to ${grant.version} on ${grant.channel} granted`);
    }
    case 'list': {
      const list = await releases.listReleases();
      return ok(list.length ? list.map((r) => `${r.version}\t${r.channel}\t${r.publishedAt}\t${Object.keys(r.manifests).map((p) => p || 'windows').join(',')}`).join('\n') : 'no releases');
    }
    case 'promote': case 'halt': case 'resume': case 'pin': case 'rollback': {
      const tenant = need(a.tenant, '--tenant ID');
      if (!tenant.ok) return tenant;
      const group = a.group === undefined ? ok(null) : parse(GroupName, a.group, '--group');
      if (!group.ok) return group;
      const change = changeOf(cmd, a);
      if (!change.ok) return change;
      const r = await changePolicy({ releases, events: store }, tenant.value, group.value, change.value, 'clinic IT (command line)', null);
      return r.ok ? ok(`policy ${r.value.seq} of ${group.value ?? 'the clinic'}: ${JSON.stringify(r.value.policy)}`) : r;
    }
    default:
      return fail('invalid-input', `unknown command "release ${cmd}"`);
  }
}

function changeOf(cmd: 'promote' | 'halt' | 'resume' | 'pin' | 'rollback', a: ReleaseArgs): Result<PolicyChange> {
  if (cmd === 'halt' || cmd === 'resume') return ok({ kind: cmd });
  const version = a.version === 'none' && cmd !== 'promote' ? ok(null) : parse(Version, a.version, '--version');
  if (!version.ok) return version;
  if (cmd !== 'promote') return ok({ kind: cmd, version: version.value });
  const percent = Number(a.percent ?? '100');
  if (!Number.isInteger(percent) || percent < 0 || percent > 100 || !version.value) return fail('invalid-input', '--percent must be 0 to 100');
  return ok({ kind: 'promote', version: version.value, percent });
}
