// What a workstation says of its own updates, for the banner, the Updates page and
// `npm run admin -- version`.
import { z } from 'zod';

export const UpdateStatus = z.object({
  version: z.string(),
  channel: z.string().nullable(),
  /** `desktop`: the Electron app installs updates; `browser-host`: this host does not (the desktop app does). */
  installer: z.enum(['desktop', 'browser-host']),
  lastCheckAt: z.string().nullable(),
  /** A verified update waiting to install, and when it will. */
  pending: z.object({ version: z.string(), message: z.string() }).nullable(),
  /** The last refusal or failure here (code and words). */
  lastProblem: z.object({ code: z.string(), message: z.string(), at: z.string() }).nullable(),
});
export type UpdateStatus = z.infer<typeof UpdateStatus>;
