// Clinic settings an admin may change.
import { z } from 'zod';

export const ClinicSettings = z.object({
  /** Inactivity before the session locks itself. 15 s to 8 h; 10 minutes by default. */
  autoLockSeconds: z.number().int('must be a whole number of seconds').min(15, 'must be at least 15 seconds').max(8 * 3600, 'must be at most 8 hours (28,800 seconds)'),
});
export type ClinicSettings = Readonly<z.infer<typeof ClinicSettings>>;

export const defaultSettings: ClinicSettings = { autoLockSeconds: 600 };
