// A clinic-wide lockdown, and IT's other signed commands, as the app, the cloud and IT's command
// line all see them. An admin on any workstation, or IT with the recovery code on any machine,
// locks every workstation at once; IT lifts it workstation by workstation with commands signed
// by the clinic's IT key (an Ed25519 key derived from the recovery code, whose public half the
// cloud holds). The same key enrolls a clean machine to restore the clinic onto.
import { z } from 'zod';
import { assertNever } from '../errors';

/** Who started a lockdown: an admin at a workstation (named), or IT with the recovery code. */
export const LockdownBy = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('workstation'), deviceId: z.uuid(), name: z.string() }),
  z.object({ kind: z.literal('it') }),
  /** The workstation was refused as locked down before it could ask by whom (it asks again). */
  z.object({ kind: z.literal('unknown') }),
]);
export type LockdownBy = Readonly<z.infer<typeof LockdownBy>>;

export const Lockdown = z.object({ since: z.iso.datetime(), by: LockdownBy });
export type Lockdown = Readonly<z.infer<typeof Lockdown>>;

/** Lock every workstation; lift one; revoke one (a workstation the attack came from); ask where things stand. */
export const ItCommandName = z.enum(['lockdown', 'lift', 'revoke', 'status']);
export type ItCommandName = z.infer<typeof ItCommandName>;

/** How far an IT command's time may be from the cloud's: older ones are refused as stale. */
export const IT_COMMAND_WINDOW_MS = 5 * 60_000;

/** An IT command, signed with the clinic's IT key over `itCommandChallenge`. */
export const ItCommand = z.strictObject({
  command: ItCommandName,
  /** The workstation a `lift` or `revoke` is for (null otherwise). */
  deviceId: z.uuid().nullable(),
  at: z.iso.datetime(),
  nonce: z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'must be 128 random bits'),
  signature: z.string().regex(/^[A-Za-z0-9+/]{86}==$/, 'must be an Ed25519 signature'),
});
export type ItCommand = z.infer<typeof ItCommand>;

/** A clean machine enrolled by IT with the recovery code (to restore the clinic onto), signed over `itEnrollChallenge`. */
export const ItEnroll = z.strictObject({
  deviceName: z.string().trim().min(1).max(100),
  signingKey: z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'must be a 32-byte key'),
  boxKey: z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'must be a 32-byte key'),
  at: z.iso.datetime(),
  nonce: z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'must be 128 random bits'),
  signature: z.string().regex(/^[A-Za-z0-9+/]{86}==$/, 'must be an Ed25519 signature'),
});
export type ItEnroll = z.infer<typeof ItEnroll>;

export function itEnrollChallenge(tenantId: string, e: Omit<ItEnroll, 'signature'>): string {
  return `chartroom/it-enroll/v1|${tenantId}|${e.deviceName}|${e.signingKey}|${e.boxKey}|${e.at}|${e.nonce}`;
}

/** What an IT command signs: every field, bound to the clinic. */
export function itCommandChallenge(tenantId: string, c: Pick<ItCommand, 'command' | 'deviceId' | 'at' | 'nonce'>): string {
  return `chartroom/it-command/v1|${tenantId}|${c.command}|${c.deviceId ?? ''}|${c.at}|${c.nonce}`;
}

/** A workstation as IT sees it during a lockdown: `held` until it is lifted (or revoked). */
export const ItDevice = z.object({
  deviceId: z.uuid(), name: z.string(), number: z.number().int(), revokedAt: z.string().nullable(), held: z.boolean(),
});
export const ItAnswer = z.object({ lockdown: Lockdown.nullable(), devices: z.array(ItDevice) });
export type ItAnswer = Readonly<z.infer<typeof ItAnswer>>;

/** The clinic's IT key: an Ed25519 public key, raw, in base64. */
export const ItKeyBody = z.strictObject({ publicKey: z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'must be an Ed25519 public key') });

/** A workstation asking whether a lockdown holds it (before anyone signs in, and while it is locked). */
export const LockdownStatusAnswer = z.object({ lockdown: Lockdown.nullable() });

/** The lock screen's words: who locked the clinic and when (the time as the caller formats it). */
export function describeLockdown(l: Lockdown, at: string): string {
  return `${lockedBy(l.by)} at ${at}. Records cannot be opened here until IT lifts the lockdown for this workstation.`;
}

function lockedBy(by: LockdownBy): string {
  switch (by.kind) {
    case 'it': return 'Clinic IT locked down every workstation with the recovery code';
    case 'workstation': return `An admin locked down every workstation from “${by.name}”`;
    case 'unknown': return 'The clinic’s cloud says every workstation is locked down';
    default: return assertNever(by);
  }
}
