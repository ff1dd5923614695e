// IT's update policy, for the clinic or for one group of its workstations (a group's policy,
// when it has one, replaces the clinic's), and the one decision made from it: which release a
// workstation is offered. The cloud answers its feed with that decision (cloud/updates/feed.ts).
import { z } from 'zod';
import { assertNever } from '../errors';
import { Channel, Version } from './release';
import { withinRollout } from './rollout';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time like 19:00');
/** When installs may happen without waiting for sign-out: from `from` to `to`, across midnight if `to` is earlier. */
export const UpdateWindow = z.strictObject({ from: hhmm, to: hhmm });
export type UpdateWindow = z.infer<typeof UpdateWindow>;

export const GroupName = z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9 _-]{0,39}$/, 'must be a short group name (letters, digits, spaces, - or _)');

export const UpdatePolicy = z.strictObject({
  channel: Channel,
  /** The release being rolled out, to this share of workstations. */
  stage: z.strictObject({ version: Version, percent: z.number().int().min(0).max(100) }).nullable(),
  /** What everyone else is offered: the release before the stage (null: nothing). */
  base: Version.nullable(),
  /** Halted: the stage is offered to no one more; those not reached are offered `base`. */
  halted: z.boolean(),
  /** Pinned: this group is offered exactly this release, whatever the stage. */
  pin: Version.nullable(),
  /** Rolled back: everyone is offered this earlier release, with the vendor's signed grant. */
  rollback: Version.nullable(),
  window: UpdateWindow.nullable(),
});
export type UpdatePolicy = z.infer<typeof UpdatePolicy>;

export const DEFAULT_POLICY: UpdatePolicy = { channel: 'stable', stage: null, base: null, halted: false, pin: null, rollback: null, window: { from: '19:00', to: '07:00' } };

/** Why a workstation is offered what it is, for the record and the Updates page. */
export type OfferReason = 'rollback' | 'pin' | 'stage' | 'base';
export interface Offer { readonly version: string; readonly reason: OfferReason }

/** The release a workstation is offered under `policy`, or null for none. */
export function offerFor(policy: UpdatePolicy, deviceId: string): Offer | null {
  if (policy.rollback) return { version: policy.rollback, reason: 'rollback' };
  if (policy.pin) return { version: policy.pin, reason: 'pin' };
  const s = policy.stage;
  if (s && !policy.halted && withinRollout(deviceId, s.version, s.percent)) return { version: s.version, reason: 'stage' };
  return policy.base ? { version: policy.base, reason: 'base' } : null;
}

/** IT's changes to a policy, as the Updates page and the CLI make them. */
export type PolicyChange =
  | { readonly kind: 'promote'; readonly version: string; readonly percent: number }
  | { readonly kind: 'halt' }
  | { readonly kind: 'resume' }
  | { readonly kind: 'pin'; readonly version: string | null }
  | { readonly kind: 'rollback'; readonly version: string | null }
  | { readonly kind: 'channel'; readonly channel: Channel }
  | { readonly kind: 'window'; readonly window: UpdateWindow | null };

export const PolicyChangeSchema: z.ZodType<PolicyChange> = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('promote'), version: Version, percent: z.number().int().min(0).max(100) }),
  z.strictObject({ kind: z.literal('halt') }),
  z.strictObject({ kind: z.literal('resume') }),
  z.strictObject({ kind: z.literal('pin'), version: Version.nullable() }),
  z.strictObject({ kind: z.literal('rollback'), version: Version.nullable() }),
  z.strictObject({ kind: z.literal('channel'), channel: Channel }),
  z.strictObject({ kind: z.literal('window'), window: UpdateWindow.nullable() }),
]);

/**
 * The policy after a change. Promoting another release moves a fully rolled out stage into
 * `base`, so those outside the new stage stay where they are; it also resumes a halt.
 */
export function applyChange(p: UpdatePolicy, c: PolicyChange): UpdatePolicy {
  switch (c.kind) {
    case 'promote': {
      const moving = p.stage && p.stage.version !== c.version;
      const base = moving && p.stage && p.stage.percent === 100 && !p.halted ? p.stage.version : p.base;
      return { ...p, stage: { version: c.version, percent: c.percent }, base, halted: false };
    }
    case 'halt':
      return { ...p, halted: true };
    case 'resume':
      return { ...p, halted: false };
    case 'pin':
      return { ...p, pin: c.version };
    case 'rollback':
      return { ...p, rollback: c.version };
    case 'channel':
      return { ...p, channel: c.channel };
    case 'window':
      return { ...p, window: c.window };
    default:
      return assertNever(c, 'policy change');
  }
}
