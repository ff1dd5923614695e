// The update routes' own shapes (shared/cloud-api/routes.ts lists the routes): the feed's file
// names as electron-updater asks for them, a release file's place, what IT's Updates page reads
// and the changes it sends.
import { z } from 'zod';
import { GroupName, PolicyChangeSchema, UpdatePolicy } from './policy';
import { Channel, FileName, Version } from './release';

/** `latest.yml` (Windows), `latest-linux.yml`, `latest-mac.yml`: electron-updater's default channel file per platform. */
export const ChannelFile = z.string().regex(/^latest(-linux|-mac)?\.yml$/, 'must be latest.yml, latest-linux.yml or latest-mac.yml');
export const platformOf = (channelFile: string): string => /^latest-(linux|mac)\.yml$/.exec(channelFile)?.[1] ?? '';

/** The version the workstation runs, in the feed's URL (electron-updater keeps a base URL's query on every request). */
export const FeedQuery = z.strictObject({ running: Version.optional(), noCache: z.string().max(64).optional() });

export const PolicyRecordView = z.object({ policy: UpdatePolicy, seq: z.number().int(), by: z.string(), at: z.string() });
export const ReleaseView = z.object({
  version: Version, channel: Channel, releaseDate: z.string(), publishedAt: z.string(), platforms: z.array(z.string()), rollbackGranted: z.boolean(),
});
export type ReleaseView = z.infer<typeof ReleaseView>;
export const UpdatesAnswer = z.object({
  clinic: PolicyRecordView.nullable(),
  groups: z.array(z.object({ group: GroupName, record: PolicyRecordView })),
  releases: z.array(ReleaseView),
});
export type UpdatesAnswer = z.infer<typeof UpdatesAnswer>;

/** One change to the clinic's policy (`group` null) or a group's, made from the version `expectSeq` (0: none yet). */
export const PolicyChangeBody = z.strictObject({ group: GroupName.nullable(), change: PolicyChangeSchema, expectSeq: z.number().int().min(0) });
export const DeviceGroupBody = z.strictObject({ deviceId: z.uuid(), group: GroupName.nullable() });
export const ReleaseFileParams = z.strictObject({ tenantId: z.uuid(), deviceId: z.uuid(), version: Version, file: FileName });
