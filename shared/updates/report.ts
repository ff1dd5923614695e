// What the cloud keeps of each workstation's updates: every offer (the feed records it), and
// what the workstation reports: a download verified, a refusal (and why), an install begun, the
// version it runs after a start, and a failure (a download that failed, or a new version that
// failed to start twice). IT reads each workstation's summary on the Workstations page.
import { z } from 'zod';
import { Channel, Version } from './release';

export const UPDATE_EVENT_KINDS = ['offer', 'verified', 'refused', 'install', 'running', 'failure'] as const;
export const UpdateEventKind = z.enum(UPDATE_EVENT_KINDS);
export type UpdateEventKind = z.infer<typeof UpdateEventKind>;

/** Kinds a workstation reports (the feed itself records offers). */
export const UpdateReportBody = z.strictObject({
  kind: UpdateEventKind.exclude(['offer']),
  version: Version,
  /** A refusal's or failure's code and words: never PHI, never a path (they are the engine's own). */
  detail: z.string().max(500).nullable(),
});
export type UpdateReportBody = z.infer<typeof UpdateReportBody>;

export interface UpdateEvent {
  readonly deviceId: string;
  readonly kind: UpdateEventKind;
  readonly version: string;
  readonly channel: string | null;
  readonly detail: string | null;
  readonly at: string;
}

/** One workstation's updates at a glance. */
export const UpdateSummary = z.object({
  version: Version.nullable(),
  channel: Channel.nullable(),
  lastCheckAt: z.string().nullable(),
  pending: Version.nullable(),
  lastFailure: z.object({ version: Version, detail: z.string().nullable(), at: z.string() }).nullable(),
});
export type UpdateSummary = z.infer<typeof UpdateSummary>;

/** The summary from a workstation's newest event of each kind (in the order they were kept). */
export function summarize(newestOfEachKind: readonly UpdateEvent[]): UpdateSummary {
  const of = (k: UpdateEventKind) => newestOfEachKind.findLast((e) => e.kind === k) ?? null;
  const index = (e: UpdateEvent | null) => (e ? newestOfEachKind.indexOf(e) : -1);
  const running = of('running');
  const offer = of('offer');
  const verified = of('verified');
  const failures = newestOfEachKind.filter((e) => e.kind === 'failure' || e.kind === 'refused');
  const failure = failures.at(-1) ?? null;
  const pending = verified && index(verified) > index(running) && verified.version !== running?.version ? verified.version : null;
  const channel = Channel.safeParse(offer?.channel);
  return {
    version: running?.version ?? null,
    channel: channel.success ? channel.data : null,
    lastCheckAt: offer?.at ?? null,
    pending,
    lastFailure: failure ? { version: failure.version, detail: failure.detail, at: failure.at } : null,
  };
}
