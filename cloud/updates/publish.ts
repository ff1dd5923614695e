// `release publish`: stores a signed build in the cloud's store. Every file a manifest lists
// must be there with its hash, and signed by a key the app trusts for this version and channel,
// or nothing is stored. Files go in 4 MiB chunks, before the release's row: a release that can
// be offered has all its files, and publishing again after a crash completes it.
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { fail, ok, type Result } from '../../shared/errors';
import type { Channel, FileSignature } from '../../shared/updates/release';
import { verifyFileSignature } from '../../shared/updates/verify-release';
import type { ReleaseRecord, ReleaseStore } from '../store/store';
import { readReleaseDir, readSignatures } from './release-dir';

export const RELEASE_CHUNK_BYTES = 4 * 1024 * 1024;

export async function publishRelease(releases: ReleaseStore, dir: string, channel: Channel, trusted: readonly string[]): Promise<Result<ReleaseRecord>> {
  const read = await readReleaseDir(dir);
  if (!read.ok) return read;
  const { version, releaseDate, manifests } = read.value;
  const sigs = await readSignatures(dir);
  if (!sigs.ok) return sigs;
  if (sigs.value.version !== version || sigs.value.channel !== channel) {
    return fail('bad-signature', `The signatures are for ${sigs.value.version} on ${sigs.value.channel}, not ${version} on ${channel}.`);
  }
  const files = [...new Map(Object.values(manifests).flat().map((f) => [f.file, f])).values()];
  const signatures: FileSignature[] = [];
  for (const f of files) {
    const s = sigs.value.files.find((x) => x.file === f.file);
    if (!s) return fail('bad-signature', `${f.file} is not signed.`);
    if (s.sha512 !== f.sha512) return fail('hash-mismatch', `${f.file} is not the file that was signed.`);
    const v = await verifyFileSignature(trusted, { channel, version }, s);
    if (!v.ok) return v;
    signatures.push(s);
  }
  for (const f of files) {
    const r = await storeChunks(releases, version, join(dir, f.file), f.file);
    if (!r.ok) return r;
  }
  const record: ReleaseRecord = { version, channel, releaseDate, manifests, signatures, publishedAt: new Date().toISOString() };
  const put = await releases.putRelease(record);
  if (put === 'conflict') return fail('already-exists', `A different release ${version} is already published: a version is never published twice.`);
  return ok(put === 'same' ? ((await releases.release(version)) ?? record) : record);
}

async function storeChunks(releases: ReleaseStore, version: string, path: string, file: string): Promise<Result<null>> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(RELEASE_CHUNK_BYTES);
    for (let idx = 0; ; idx++) {
      const { bytesRead } = await fh.read(buf, 0, RELEASE_CHUNK_BYTES, idx * RELEASE_CHUNK_BYTES);
      if (bytesRead === 0 && idx > 0) return ok(null);
      if ((await releases.putReleaseChunk(version, file, idx, Buffer.from(buf.subarray(0, bytesRead)))) === 'conflict') {
        return fail('already-exists', `A different ${file} of ${version} is already stored.`);
      }
      if (bytesRead < RELEASE_CHUNK_BYTES) return ok(null);
    }
  } finally {
    await fh.close();
  }
}
