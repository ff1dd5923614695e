// What crosses the tenant service for a video visit: the link a workstation creates, the link's
// state as the patient's page sees it, and the signalling messages on the two sockets of a
// visit (the patient's browser, the clinic's workstations). The cloud relays them and reads
// only `type`; media never passes through it, and the patient's identity and the chat travel
// encrypted to keys only the patient's page and the clinic's workstations hold.
import { z } from 'zod';

const b64url = z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be base64url');

/** The random part of a visit link (`/v/<token>`): 128 bits, base64url. */
export const VisitToken = b64url.length(22);

/** A patient page's own random id (128 bits), kept by its browser tab: the same page reconnecting. */
export const VisitSeat = b64url.length(22);

export const CreateVisitBody = z.strictObject({
  visitId: z.uuid(),
  validFrom: z.iso.datetime(),
  validUntil: z.iso.datetime(),
  /** The workstation's per-visit ECDH P-256 public key (JWK), for the patient's identity answer. */
  identityKey: z.string().min(20).max(400),
}).refine((b) => Date.parse(b.validUntil) > Date.parse(b.validFrom), { message: 'validUntil must be after validFrom', path: ['validUntil'] })
  .refine((b) => Date.parse(b.validUntil) - Date.parse(b.validFrom) <= 24 * 3600_000, { message: 'a link is valid for at most a day', path: ['validUntil'] });

export const VisitLinkState = z.enum(['open', 'not-yet', 'expired', 'revoked', 'closed']);
export type VisitLinkState = z.infer<typeof VisitLinkState>;

/** A visit link opens this long before its appointment (and the patient's page says when the appointment is). */
export const VISIT_LINK_EARLY_MS = 30 * 60_000;

export const VisitLinkStatus = z.object({
  state: VisitLinkState,
  opensAt: z.string(),
  closesAt: z.string(),
  /** The clinic the visit is with (the tenant's name), and when the appointment starts. */
  clinicName: z.string(),
  appointmentAt: z.string(),
  identityKey: z.string().nullable(),
  iceServers: z.array(z.object({ urls: z.array(z.string()), username: z.string().optional(), credential: z.string().optional() })),
});

/** An SDP offer or answer, an ICE candidate, or a renegotiation, as simple-peer emits them. */
export const SignalData = z.union([
  z.strictObject({ type: z.enum(['offer', 'answer', 'pranswer', 'rollback']), sdp: z.string().max(30_000) }),
  z.strictObject({
    type: z.literal('candidate'),
    candidate: z.looseObject({ candidate: z.string().max(1000), sdpMid: z.string().max(64).nullish(), sdpMLineIndex: z.number().int().nullish() }),
  }),
  z.strictObject({ renegotiate: z.literal(true) }),
  z.strictObject({ transceiverRequest: z.strictObject({ kind: z.enum(['audio', 'video']), init: z.record(z.string(), z.unknown()).optional() }) }),
]);
export type SignalData = z.infer<typeof SignalData>;
const Signal = SignalData;
/**
 * Which connection attempt a signal belongs to: the clinic numbers each peer connection it
 * starts, the patient answers with the same number, and each side drops signals of an older
 * attempt (a late candidate of a dropped connection would otherwise break the new one).
 */
export const CallAttempt = z.number().int().min(1).max(1_000_000);

/** An in-call chat message, AES-256-GCM under the chat key (electron/engine/video/visit-crypto.ts). */
const SealedChat = { type: z.literal('chat'), iv: b64url.length(16), ciphertext: b64url.min(22).max(11_000) };

/** From the patient's browser. */
export const PatientMessage = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('identity'), iv: b64url.max(32), publicKey: z.string().max(400), ciphertext: b64url.max(4000) }),
  z.strictObject({ type: z.literal('signal'), call: CallAttempt, data: Signal }),
  z.strictObject(SealedChat),
  z.strictObject({ type: z.literal('leave') }),
]);
export type PatientMessage = z.infer<typeof PatientMessage>;

/** From a clinic workstation. */
export const ClinicMessage = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('admit') }),
  z.strictObject({ type: z.literal('signal'), call: CallAttempt, data: Signal }),
  /** The physician turned the camera off or on: the patient's page says so instead of a black picture. */
  z.strictObject({ type: z.literal('camera'), on: z.boolean() }),
  z.strictObject(SealedChat),
  z.strictObject({ type: z.literal('end') }),
]);
export type ClinicMessage = z.infer<typeof ClinicMessage>;

/**
 * What a clinic socket hears: the patient's messages, relayed as they came, and the service's
 * own (who is there, the visit ended, a refusal). A workstation reads nothing else.
 */
export const ToClinic = z.discriminatedUnion('type', [
  ...PatientMessage.options,
  z.object({ type: z.literal('patient'), present: z.boolean() }),
  z.object({ type: z.literal('ended') }),
  z.object({ type: z.literal('error'), message: z.string().max(500) }),
  z.object({ type: z.literal('refused'), message: z.string().max(500) }),
]);
export type ToClinic = z.infer<typeof ToClinic>;

/** Largest frame either socket accepts; anything bigger closes the socket (1009). */
export const MAX_SIGNAL_FRAME = 64 * 1024;

/**
 * A clinic's STUN/TURN servers, kept at its tenant. TURN uses coturn's REST credentials: the
 * shared secret stays at the service, which hands out a username and password that expire.
 */
export const IceSettings = z.strictObject({
  stunUrls: z.array(z.string().regex(/^stuns?:[^\s]+$/, 'must be a stun: or stuns: address').max(200)).max(5),
  turnUrls: z.array(z.string().regex(/^turns?:[^\s]+$/, 'must be a turn: or turns: address').max(200)).max(5),
  /** coturn's `static-auth-secret`; empty when there is no TURN server. */
  turnSecret: z.string().max(200),
});
export type IceSettings = z.infer<typeof IceSettings>;

/** What a peer connection is configured with (RTCIceServer). */
export const IceServer = z.object({ urls: z.array(z.string()), username: z.string().optional(), credential: z.string().optional() });
export type IceServer = z.infer<typeof IceServer>;
