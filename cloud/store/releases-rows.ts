// What both stores' release code shares: a kept policy read back through its schema (a row
// that no longer parses is a bug, so it throws), and whether a release put again is the same.
import { UpdatePolicy } from '../../shared/updates/policy';
import type { ReleaseRecord } from './store';

export const parsePolicy = (json: string): UpdatePolicy => UpdatePolicy.parse(JSON.parse(json));

/** The same release: the same channel, manifests and signatures (when it was published aside). */
export const sameRelease = (a: ReleaseRecord, b: ReleaseRecord): boolean =>
  a.channel === b.channel && JSON.stringify(a.manifests) === JSON.stringify(b.manifests) && JSON.stringify(a.signatures) === JSON.stringify(b.signatures);
