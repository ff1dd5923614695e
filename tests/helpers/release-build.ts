// A release folder as electron-builder leaves it (no Electron binary can be fetched here, so the
// "installers" are random bytes): an AppImage and a Windows installer with their real SHA-512
// and size in latest-linux.yml and latest.yml, signed with a vendor key made for the test.
import { createHash, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import { signReleaseDir, signRollback } from '../../cloud/updates/sign';
import type { Channel } from '../../shared/updates/release';

export interface Vendor {
  readonly privateKey: KeyObject;
  /** Raw, base64: what release-keys.ts lists. */
  readonly publicKey: string;
}

export function makeVendor(): Vendor {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey: publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('base64') };
}

export interface Build {
  readonly dir: string;
  readonly version: string;
  readonly appImage: string;
  readonly appImageBytes: Buffer;
}

/** Writes the build of `version` into `root/version/` and, unless `sign` is false, signs it for `channel`. */
export async function makeBuild(root: string, version: string, opts: { channel?: Channel; vendor?: Vendor; sign?: boolean; appImageBytes?: number } = {}): Promise<Build> {
  const dir = join(root, version);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const appImage = `Chartroom-${version}.AppImage`;
  const exe = `Chartroom-Setup-${version}.exe`;
  const appImageBytes = randomBytes(opts.appImageBytes ?? 64 * 1024);
  const exeBytes = randomBytes(32 * 1024);
  const entry = (file: string, bytes: Buffer) => ({ url: file, sha512: createHash('sha512').update(bytes).digest('base64'), size: bytes.length });
  const releaseDate = '2026-11-30T12:00:00.000Z';
  await writeFile(join(dir, appImage), appImageBytes, { mode: 0o600 });
  await writeFile(join(dir, exe), exeBytes, { mode: 0o600 });
  const linux = entry(appImage, appImageBytes);
  const win = entry(exe, exeBytes);
  await writeFile(join(dir, 'latest-linux.yml'), dump({ version, files: [linux], path: appImage, sha512: linux.sha512, releaseDate }), { mode: 0o600 });
  await writeFile(join(dir, 'latest.yml'), dump({ version, files: [win], path: exe, sha512: win.sha512, releaseDate }), { mode: 0o600 });
  if (opts.sign !== false) {
    const r = await signReleaseDir(dir, opts.channel ?? 'stable', (opts.vendor ?? defaultVendor).privateKey);
    if (!r.ok) throw new Error(r.error.message);
  }
  return { dir, version, appImage, appImageBytes };
}

/** One vendor key per test file, unless a test makes its own. */
export const defaultVendor = makeVendor();

export const grantRollback = (channel: Channel, version: string, vendor: Vendor = defaultVendor) => signRollback(channel, version, vendor.privateKey);
