// This workstation's part in a clinic-wide lockdown. When the cloud refuses it as locked down
// (any request, or its stream socket closed with 4423), the screen locks at once: the session
// ends, the database closes (sync stops with it) and nobody can sign in. The state is kept in
// `lockdown.json` in the data dir, so a restart stays locked, and the workstation asks the cloud
// every few seconds, with its sign-in guard secret (no database needed), whether IT has lifted
// it. Once lifted, the next sync round rotates the clinic key if it predates the lockdown.
import { readFile, rm } from 'node:fs/promises';
import { z } from 'zod';
import { Lockdown } from '../../../shared/domain/lockdown';
import { fail, type Result } from '../../../shared/errors';
import type { Announce } from '../events';
import type { Logger } from '../logger';
import { writeFileAtomic } from '../util/atomic-file';

/** The cloud's answer: the lockdown holding this workstation, none (null), or no answer (undefined). */
export type AskLockdown = () => Promise<Lockdown | null | undefined>;

export interface LockdownDeps {
  readonly file: string;
  readonly ask: AskLockdown;
  readonly events: Announce;
  readonly logger: Logger;
  /** Ends the session and closes the clinic (sync stops with it). */
  lockScreen(): Promise<void>;
  /** How often a locked workstation asks whether it was lifted. */
  readonly pollMs?: number;
}

const Kept = z.discriminatedUnion('state', [
  z.object({ state: z.literal('locked'), lockdown: Lockdown }),
  /** Lifted; the clinic key is rotated at the next round if it was made before `since`. */
  z.object({ state: z.literal('lifted'), since: z.iso.datetime() }),
]);
type Kept = z.infer<typeof Kept>;

const POLL_MS = 3_000;

export const lockedDown = (l: Lockdown): Result<never> =>
  fail('clinic-locked-down', `The clinic is locked down (since ${l.since}). Nobody can sign in here until IT lifts it for this workstation.`);

export class LockdownWatch {
  private kept: Kept | null = null;
  private timer: NodeJS.Timeout | null = null;
  private locking: Promise<void> | null = null;

  private constructor(private readonly d: LockdownDeps) {}

  static async load(d: LockdownDeps): Promise<LockdownWatch> {
    const w = new LockdownWatch(d);
    try {
      w.kept = Kept.parse(JSON.parse(await readFile(d.file, 'utf8')));
    } catch (e) {
      // Damaged: asked again at the next sign-in (the cloud still refuses a held workstation).
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') d.logger.warn({ event: 'lockdown.unreadable' }, 'the lockdown state could not be read');
    }
    if (w.kept?.state === 'locked') w.poll();
    return w;
  }

  /** The lockdown holding this workstation, as last heard. */
  current(): Lockdown | null {
    return this.kept?.state === 'locked' ? this.kept.lockdown : null;
  }

  /** When the lockdown this workstation was lifted from began (its key rotation is still due), or null. */
  liftedSince(): string | null {
    return this.kept?.state === 'lifted' ? this.kept.since : null;
  }

  /** The cloud refused this workstation as locked down: lock now, then find out by whom. */
  heard(): Promise<void> {
    if (this.current()) return Promise.resolve();
    this.locking ??= (async () => {
      await this.keep({ state: 'locked', lockdown: { since: new Date().toISOString(), by: { kind: 'unknown' } } });
      this.d.logger.warn({ event: 'lockdown.heard' }, 'the clinic is locked down: session ended, database closed');
      await this.d.lockScreen();
      this.d.events.emit('session.ended', { reason: 'clinic-locked-down' });
      await this.askOnce();
      this.poll();
    })().finally(() => { this.locking = null; });
    return this.locking;
  }

  /** Before a sign-in: the lockdown that refuses it, kept here or told by the cloud now (waiting at most its timeout). */
  async refusal(): Promise<Result<never> | null> {
    // Held here: the cloud is asked first whether IT has lifted it since the last poll.
    if (this.current()) await this.askOnce();
    const held = this.current();
    if (held) return lockedDown(held);
    if (this.liftedSince()) return null;
    const answer = await this.d.ask();
    if (!answer) return null;
    await this.keep({ state: 'locked', lockdown: answer });
    this.d.events.emit('lockdown.changed', {});
    this.poll();
    return lockedDown(answer);
  }

  /** The key rotation after a lift is done. */
  async rotated(): Promise<void> {
    if (this.kept?.state !== 'lifted') return;
    this.kept = null;
    await rm(this.d.file, { force: true });
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private poll(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.askOnce(), this.d.pollMs ?? POLL_MS);
    this.timer.unref();
  }

  private async askOnce(): Promise<void> {
    const held = this.current();
    if (!held) return this.close();
    const answer = await this.d.ask();
    if (answer === undefined) return; // offline, or no guard credential: still locked
    if (answer === null) {
      this.close();
      await this.keep({ state: 'lifted', since: held.since });
      this.d.logger.warn({ event: 'lockdown.lifted' }, 'the lockdown was lifted for this workstation');
    } else if (JSON.stringify(answer) !== JSON.stringify(held)) {
      await this.keep({ state: 'locked', lockdown: answer });
    } else return;
    this.d.events.emit('lockdown.changed', {});
  }

  private async keep(k: Kept): Promise<void> {
    this.kept = k;
    await writeFileAtomic(this.d.file, JSON.stringify(k), 0o600);
  }
}
