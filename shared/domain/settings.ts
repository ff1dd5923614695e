// Clinic settings an admin may change.
import { z } from 'zod';

export const ClinicSettings = z.object({
  /** Inactivity before the session locks itself. 15 s to 8 h; 10 minutes by default. */
  autoLockSeconds: z.number().int().min(15).max(8 * 3600),
});
export type ClinicSettings = Readonly<z.infer<typeof ClinicSettings>>;

export const defaultSettings: ClinicSettings = { autoLockSeconds: 600 };
