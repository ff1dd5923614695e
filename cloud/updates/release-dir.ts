// Reads a release as electron-builder leaves it in its output folder: each `latest*.yml` (one
// per platform; a beta build writes `beta*.yml`), the files they list, and the vendor's
// `chartroom-signatures.json`. Used by the signing command and by publish; what it cannot read
// is said in words, naming the file, never its contents.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { z } from 'zod';
import { fail, ok, type Result } from '../../shared/errors';
import { FileName, Sha512, SIGNATURES_FILE, SignaturesFile, Version } from '../../shared/updates/release';

const MANIFEST = /^(latest|beta|alpha)(?:-(linux|mac))?\.yml$/;
const Manifest = z.object({ version: Version, releaseDate: z.string().optional(), files: z.array(z.object({ url: FileName, sha512: Sha512, size: z.number().int().min(0) })).min(1) });

export interface ReleaseDir {
  readonly version: string;
  readonly releaseDate: string;
  /** Per platform (`''` Windows, `linux`, `mac`), the files its manifest lists. */
  readonly manifests: Record<string, { file: string; sha512: string; size: number }[]>;
}

export async function sha512Of(path: string): Promise<string> {
  const h = createHash('sha512');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('base64');
}

/** The manifests of a build folder, each listed file there with the hash and size the manifest says. */
export async function readReleaseDir(dir: string): Promise<Result<ReleaseDir>> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return fail('not-found', `There is no folder ${dir}.`);
  }
  const manifests: ReleaseDir['manifests'] = {};
  let version: string | null = null;
  let releaseDate = '';
  for (const name of names.filter((n) => MANIFEST.test(n)).sort()) {
    let parsed: ReturnType<typeof Manifest.safeParse>;
    try {
      parsed = Manifest.safeParse(load(await readFile(join(dir, name), 'utf8')));
    } catch {
      return fail('invalid-input', `${name} is not YAML.`);
    }
    if (!parsed.success) return fail('invalid-input', `${name} is not an electron-builder manifest (it needs a version and its files with their sha512 and size).`);
    if (version && parsed.data.version !== version) return fail('invalid-input', `${name} is for ${parsed.data.version}, the other manifests for ${version}.`);
    version = parsed.data.version;
    releaseDate = parsed.data.releaseDate ?? releaseDate;
    const platform = MANIFEST.exec(name)?.[2] ?? '';
    manifests[platform] = parsed.data.files.map((f) => ({ file: f.url, sha512: f.sha512, size: f.size }));
  }
  if (!version) return fail('invalid-input', `There is no latest.yml, latest-linux.yml or latest-mac.yml in ${dir}.`);
  for (const f of Object.values(manifests).flat()) {
    const path = join(dir, f.file);
    const size = await stat(path).then((s) => s.size, () => null);
    if (size === null) return fail('not-found', `${f.file} is listed in a manifest but is not in the folder.`);
    if (size !== f.size || (await sha512Of(path)) !== f.sha512) return fail('hash-mismatch', `${f.file} is not the file its manifest describes (its size or SHA-512 differs).`);
  }
  return ok({ version, releaseDate: releaseDate || new Date().toISOString(), manifests });
}

/** The vendor's signatures beside the files. */
export async function readSignatures(dir: string): Promise<Result<SignaturesFile>> {
  let text: string;
  try {
    text = await readFile(join(dir, SIGNATURES_FILE), 'utf8');
  } catch {
    return fail('bad-signature', `The release is not signed: there is no ${SIGNATURES_FILE} (make it with \`npm run cloud -- release sign\`).`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return fail('bad-signature', `${SIGNATURES_FILE} is not JSON.`);
  }
  const parsed = SignaturesFile.safeParse(json);
  return parsed.success ? ok(parsed.data) : fail('bad-signature', `${SIGNATURES_FILE} is not a Chartroom signatures file.`);
}
