// A Chartroom release as the vendor signs it and the cloud stores and serves it (issue 13):
// electron-builder's files and `latest*.yml`, plus the vendor's Ed25519 signature over each
// file's SHA-512, name, version and channel; a signed grant to roll a channel back to an
// earlier release; and the cloud's signed, expiring stamp on each feed answer. The statements
// signed are declared here once, for the signing command, the cloud and the workstation.
import { z } from 'zod';

export const CHANNELS = ['stable', 'beta'] as const;
export const Channel = z.enum(CHANNELS);
export type Channel = z.infer<typeof Channel>;

/** A semantic version as electron-builder writes it (no leading `v`). */
export const Version = z.string().regex(/^\d{1,5}\.\d{1,5}\.\d{1,5}(-[0-9A-Za-z.-]{1,40})?$/, 'must be a version like 1.4.0');
/** A file of a release, by its plain name (no folders, nothing hidden). */
export const FileName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._ -]{0,199}$/, 'must be a plain file name');
const base64 = (n?: number) => z.string().regex(n ? new RegExp(`^[A-Za-z0-9+/]{${n - 2},${n}}={0,2}$`) : /^[A-Za-z0-9+/]+={0,2}$/, 'must be base64');
export const Sha512 = base64(88);
export const KeyId = z.string().regex(/^[0-9a-f]{16}$/, 'must be a key id (16 hex digits)');
export const Signature = base64(88);
export const PublicKey = base64(44);

/** One file's signature, as `release sign` writes it beside the files. */
export const FileSignature = z.strictObject({ file: FileName, sha512: Sha512, keyId: KeyId, signature: Signature });
export type FileSignature = z.infer<typeof FileSignature>;

/** `chartroom-signatures.json`: what the vendor's offline signing machine adds to a build. */
export const SIGNATURES_FILE = 'chartroom-signatures.json';
export const SignaturesFile = z.strictObject({
  format: z.literal('chartroom-release-signatures/v1'),
  version: Version,
  channel: Channel,
  files: z.array(FileSignature).min(1).max(64),
});
export type SignaturesFile = z.infer<typeof SignaturesFile>;

/** The vendor's permission to install `version` on `channel` over a newer one (a rollback). */
export const RollbackGrant = z.strictObject({ channel: Channel, version: Version, keyId: KeyId, signature: Signature });
export type RollbackGrant = z.infer<typeof RollbackGrant>;

/** The cloud's stamp on one feed answer: for which workstation and version, until when. */
export const FeedStamp = z.strictObject({
  deviceId: z.uuid(),
  version: Version,
  issuedAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  /** The cloud's feed key (raw, base64); the workstation keeps the first it sees and refuses any other. */
  key: PublicKey,
  signature: Signature,
});
export type FeedStamp = z.infer<typeof FeedStamp>;

/** What the feed adds to electron-updater's `latest*.yml`, under `chartroom:` (electron-updater ignores it). */
export const FeedExtension = z.strictObject({
  channel: Channel,
  signatures: z.array(FileSignature).min(1).max(64),
  rollback: RollbackGrant.nullable(),
  stamp: FeedStamp,
  /** IT's maintenance window for this workstation (HH:MM, its own clock), when installs need not wait for sign-out. */
  window: z.strictObject({ from: z.string().regex(/^\d\d:\d\d$/), to: z.string().regex(/^\d\d:\d\d$/) }).nullable(),
});
export type FeedExtension = z.infer<typeof FeedExtension>;

/** The fields of electron-updater's UpdateInfo the workstation reads, with Chartroom's extension. */
export const FeedAnswer = z.object({
  version: Version,
  files: z.array(z.object({ url: z.string(), sha512: Sha512, size: z.number().int().min(0).optional() })).min(1),
  releaseDate: z.string(),
  stagingPercentage: z.number().min(0).max(100).optional(),
  chartroom: FeedExtension,
});
export type FeedAnswer = z.infer<typeof FeedAnswer>;

/** How long a feed answer is good for: a replay of an older one is refused after this (TUF's freeze attack). */
export const FEED_STAMP_TTL_MS = 24 * 3600_000;

export const fileStatement = (f: { channel: string; version: string; file: string; sha512: string }) =>
  `chartroom/release/v1\n${f.channel}\n${f.version}\n${f.file}\n${f.sha512}`;
export const rollbackStatement = (g: { channel: string; version: string }) => `chartroom/rollback/v1\n${g.channel}\n${g.version}`;
export const stampStatement = (s: Omit<FeedStamp, 'key' | 'signature'>) =>
  `chartroom/feed/v1\n${s.deviceId}\n${s.version}\n${s.issuedAt}\n${s.expiresAt}`;
