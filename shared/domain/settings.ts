// Clinic settings an admin may change.
import { z } from 'zod';

export const ClinicSettings = z.object({
  /** Inactivity before the session locks itself. 15 s to 8 h; 10 minutes by default. */
  autoLockSeconds: z.number().int('must be a whole number of seconds').min(15, 'must be at least 15 seconds').max(8 * 3600, 'must be at most 8 hours (28,800 seconds)'),
  /**
   * Where patients reach the clinic cloud from outside (https://visits.maplestreet.example), for
   * video links; empty: the address this workstation uses, which for the embedded cloud is this
   * computer's own (127.0.0.1) and no patient can open.
   */
  /** How every screen writes times: 24-hour (14:05, the clinical convention, no AM/PM to mistake) or 12-hour (2:05 PM). */
  timeFormat: z.enum(['24h', '12h']).default('24h'),
  publicAddress: z.string().trim().max(200).refine((s) => s === '' || /^https?:\/\/[^\s/?#]+(:\d+)?\/?$/.test(s), 'must be an address like https://visits.example.org').default(''),
});
export type ClinicSettings = Readonly<z.infer<typeof ClinicSettings>>;

export const defaultSettings: ClinicSettings = { autoLockSeconds: 600, timeFormat: '24h', publicAddress: '' };
export type TimeFormat = ClinicSettings['timeFormat'];

/** Whether an address is this computer's own (no one elsewhere can open it). */
export function isLoopbackAddress(url: string): boolean {
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host === '::1' || /^127\./.test(host);
  } catch {
    return false;
  }
}
