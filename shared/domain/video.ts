// A video visit's link as the front desk and the physician see it (no secret but the link).
import { z } from 'zod';
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
