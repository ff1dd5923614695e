// What a workstation keeps of its updates between starts, in the data dir outside the database
// (updates are checked and installed while nobody is signed in): the feed key it trusts (the
// first it saw), the channel its build came from, the update verified and waiting, the starts
// of a newly installed version not yet finished, and the refusals already reported.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { FeedAnswer, PublicKey, Version } from '../../../shared/updates/release';
import { writeFileAtomic } from '../util/atomic-file';

const State = z.object({
  v: z.literal(1),
  feedKey: PublicKey.nullable(),
  channel: z.string().nullable(),
  /** Verified and waiting to install: the feed's answer and the downloaded file. */
  pending: z.object({ answer: FeedAnswer, file: z.string() }).nullable(),
  /** A version that was installed: how many times it began to start without finishing. */
  starts: z.object({ version: Version, count: z.number().int() }).nullable(),
  /** Refusals already told to IT (by version and code), so a feed asked every hour is not reported every hour. */
  reported: z.array(z.string()).max(50),
  lastCheckAt: z.string().nullable(),
});
export type UpdateState = z.infer<typeof State>;

const EMPTY: UpdateState = { v: 1, feedKey: null, channel: null, pending: null, starts: null, reported: [], lastCheckAt: null };

export async function loadUpdateState(file: string): Promise<UpdateState> {
  try {
    const parsed = State.safeParse(JSON.parse(await readFile(file, 'utf8')));
    // A damaged file is as none: the feed key is learnt again from the next answer.
    return parsed.success ? parsed.data : { ...EMPTY };
  } catch {
    return { ...EMPTY };
  }
}

export const saveUpdateState = (file: string, s: UpdateState) => writeFileAtomic(file, JSON.stringify(s), 0o600);
