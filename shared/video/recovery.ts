// How a video call's media connection recovers, for both sides of a visit (the physician's call
// panel and the patient's page): connecting → connected; a moment's loss of network makes it
// unstable, and the side that starts connections (the workstation) starts a new one if it has
// not recovered within a few seconds; a closed connection is lost, and that side starts a new one
// after a back-off (1, 2, 4, 8 s). The patient's side only reports, and says so plainly when the
// picture has not come back for a while. Timers only; runs in any browser or in Node.

export type MediaState = 'none' | 'connecting' | 'connected' | 'unstable' | 'lost';

/** How long an interrupted connection may try to recover by itself before a new one is started. */
export const RECOVER_MS = 5000;
const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 8000;

/** The signalling socket's back-off after its `attempt`-th drop (0 first): 1, 2, 4, 8, 8… s. */
export const reconnectDelay = (attempt: number): number => Math.min(FIRST_RETRY_MS * 2 ** attempt, MAX_RETRY_MS);

export interface RecoveryOptions {
  /** Every change of state, for the UI. */
  readonly onChange: (state: MediaState) => void;
  /** Starts a new connection (the side that initiates); without it, this side only reports. */
  readonly restart?: () => void;
  /** Unstable or lost for this long: `onStuck` tells the user what to do. */
  readonly stuckMs?: number;
  readonly onStuck?: () => void;
  readonly recoverMs?: number;
}

export class CallRecovery {
  private current: MediaState = 'none';
  private retry: ReturnType<typeof setTimeout> | null = null;
  private stuck: ReturnType<typeof setTimeout> | null = null;
  private delay = FIRST_RETRY_MS;

  constructor(private readonly o: RecoveryOptions) {}

  get state(): MediaState {
    return this.current;
  }

  /** A new connection is starting (a retry pending is dropped). */
  starting(): void {
    this.cancelRetry();
    this.set('connecting');
  }

  /** The connection is up (connected, or its media arrived). */
  connected(): void {
    this.cancelRetry();
    this.cancelStuck();
    this.delay = FIRST_RETRY_MS;
    this.set('connected');
  }

  /** The connection's ICE state changed. */
  ice(state: string): void {
    if ((state === 'connected' || state === 'completed') && this.current === 'unstable') return this.connected();
    if (state !== 'disconnected' || this.current !== 'connected') return;
    // Often a moment's loss of network: give it a few seconds, then start afresh.
    this.set('unstable');
    this.cancelRetry();
    if (this.o.restart) {
      this.retry = setTimeout(() => {
        this.retry = null;
        if (this.current === 'unstable') this.o.restart?.();
      }, this.o.recoverMs ?? RECOVER_MS);
    }
  }

  /** The connection closed or failed: lost, and (initiating side) a new one after the back-off. */
  dropped(): void {
    this.set('lost');
    if (!this.o.restart || this.retry) return;
    const delay = this.delay;
    this.delay = Math.min(delay * 2, MAX_RETRY_MS);
    this.retry = setTimeout(() => {
      this.retry = null;
      this.o.restart?.();
    }, delay);
  }

  /** Lost for a reason outside the connection (the other side left): no new connection from here. */
  lost(): void {
    this.set('lost');
  }

  stop(): void {
    this.cancelRetry();
    this.cancelStuck();
  }

  private set(state: MediaState): void {
    this.current = state;
    if ((state === 'unstable' || state === 'lost') && this.o.stuckMs !== undefined && !this.stuck) {
      this.stuck = setTimeout(() => {
        this.stuck = null;
        if (this.current === 'unstable' || this.current === 'lost') this.o.onStuck?.();
      }, this.o.stuckMs);
    }
    this.o.onChange(state);
  }

  private cancelRetry(): void {
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
  }

  private cancelStuck(): void {
    if (this.stuck) clearTimeout(this.stuck);
    this.stuck = null;
  }
}
