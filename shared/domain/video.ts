// A video visit's link as the front desk and the physician see it (no secret but the link).
import { z } from 'zod';
import { CallAttempt, IceServer, SignalData } from '../video/wire';
import { AppointmentId } from './ids';

export const VisitLinkInfo = z.object({
  visitId: z.string(),
  appointmentId: AppointmentId,
  /** What the patient opens: the clinic cloud's address and a random token, nothing else. */
  url: z.string(),
  validFrom: z.string(),
  validUntil: z.string(),
  state: z.enum(['active', 'revoked', 'ended']),
});
export type VisitLinkInfo = Readonly<z.infer<typeof VisitLinkInfo>>;

/** What the physician's workstation hears during a visit (the patient's identity answer decrypted). */
export const VisitUpdate = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('patient'), present: z.boolean() }),
  z.object({ kind: z.literal('identity'), name: z.string(), dateOfBirth: z.string(), matches: z.boolean() }),
  z.object({ kind: z.literal('signal'), call: CallAttempt, data: SignalData }),
  z.object({ kind: z.literal('chat'), text: z.string() }),
  z.object({ kind: z.literal('left') }),
  z.object({ kind: z.literal('connection'), state: z.enum(['connected', 'reconnecting', 'closed']), message: z.string().nullable() }),
]);
export type VisitUpdate = z.infer<typeof VisitUpdate>;

export const VisitJoined = z.object({
  visitId: z.string(),
  patientPresent: z.boolean(),
  identity: z.object({ name: z.string(), dateOfBirth: z.string(), matches: z.boolean() }).nullable(),
  admitted: z.boolean(),
  /** For the call's peer connection: the clinic's STUN/TURN servers. */
  iceServers: z.array(IceServer),
});

/** The clinic's STUN/TURN settings as the admin edits them (the TURN secret is write-only). */
export const IceSettingsView = z.object({ stunUrls: z.array(z.string()), turnUrls: z.array(z.string()), hasTurnSecret: z.boolean() });
export type IceSettingsView = Readonly<z.infer<typeof IceSettingsView>>;

export const CallRecord = z.object({ startedAt: z.string(), endedAt: z.string(), seconds: z.number().int() });
