// Keeps an enrolled workstation in step while its database is open: a round soon after every
// local write (a few seconds after a read that wrote only its audit row), when the cloud says
// there is more (WebSocket), and every 15 seconds regardless.
// Offline is a state, not an error: work goes on and changes wait in the outbox.
import WebSocket from 'ws';
import type { SyncState, SyncStatus } from '../../../shared/domain/sync';
import { SyncClient } from './client';
import type { SyncHost } from './sync-host';

const EVERY_MS = 15_000;
/** The close code of a socket the cloud ends because a lockdown holds this workstation. */
const LOCKED_DOWN_CODE = 4423;
const AFTER_WRITE_MS = 300;
/** An audited read's row waits this long for others to go with it (a chart opened is several reads). */
const AFTER_AUDIT_MS = 3_000;

export class SyncService {
  private readonly client: SyncClient;
  private state: SyncState = 'not-enrolled';
  private message: string | null = null;
  private lastSyncAt: string | null = null;
  private lastRound: SyncStatus['lastRound'];
  private running: Promise<SyncStatus> | null = null;
  private again = false;
  /** A local write happened since the round began (the round yields to it). */
  private writeWaiting = false;
  private timer: NodeJS.Timeout | null = null;
  private soon: NodeJS.Timeout | null = null;
  /** Whether the round `soon` holds was asked for by audit rows alone (a write brings it forward). */
  private soonForAudit = false;
  private socket: WebSocket | null = null;
  private active = false;
  /** After a failed round, the next try comes sooner than the regular beat, backing off to it. */
  private retryMs = 0;
  private retry: NodeJS.Timeout | null = null;

  /** Shown once to the admin who set the clinic up, then forgotten. */
  private recoveryCode: string | null = null;

  constructor(private readonly host: SyncHost, snapshotEvery?: number) {
    this.client = new SyncClient(host, snapshotEvery);
  }

  get sync(): SyncClient {
    return this.client;
  }

  /** Holds the recovery code of an automatic enrollment until the admin's UI takes it. */
  keepRecoveryCode(code: string): void {
    this.recoveryCode = code;
  }

  /** The recovery code from automatic enrollment, handed out once. */
  takeRecoveryCode(): string | null {
    const code = this.recoveryCode;
    this.recoveryCode = null;
    return code;
  }

  /** This workstation asked for the clinic's lockdown and is held by it too. */
  lockedDownHere(): Promise<void> {
    return this.host.lockdown.heard();
  }

  /** An admin has seen a refused message; false when there was no such open one. */
  async acknowledgeRefused(msgId: string, seq: number): Promise<boolean> {
    const clinic = this.host.clinic();
    if (!clinic) return false;
    const r = await clinic.local((tx) =>
      tx.run('UPDATE sync_quarantine SET acknowledged_at = ? WHERE msg_id = ? AND seq = ? AND acknowledged_at IS NULL', [new Date().toISOString(), msgId, seq]));
    return r.changes > 0;
  }

  /** A change set a restore kept aside was applied again (undo/restore-handlers.ts). */
  async markReapplied(msgId: string): Promise<void> {
    await this.host.clinic()?.local((tx) => tx.run('UPDATE restore_kept_aside SET reapplied_at = ? WHERE msg_id = ?', [new Date().toISOString(), msgId]));
  }

  /** A person settled a conflict; false when there was no such open one. */
  async resolveConflict(id: number): Promise<boolean> {
    const clinic = this.host.clinic();
    if (!clinic) return false;
    const r = await clinic.local((tx) => tx.run('UPDATE sync_conflicts SET resolved_at = ? WHERE id = ? AND resolved_at IS NULL', [new Date().toISOString(), id]));
    return r.changes > 0;
  }

  /** The database is open: start keeping in step. */
  start(): void {
    if (this.active) return;
    this.active = true;
    this.timer = setInterval(() => void this.runNow(), EVERY_MS);
    this.timer.unref();
    void this.runNow();
  }

  /** The database is closing: stop, and drop the cloud connection. */
  stop(): void {
    this.active = false;
    if (this.timer) clearInterval(this.timer);
    if (this.soon) clearTimeout(this.soon);
    if (this.retry) clearTimeout(this.retry);
    this.timer = null;
    this.soon = null;
    this.retry = null;
    this.socket?.close();
    this.socket = null;
  }

  /** A local write happened: send it shortly (writes in a burst go together). */
  written(): void {
    // A round pulling now stops at its next page, so this write leaves within a second however busy the clinic is.
    this.writeWaiting = true;
    // A round already due for audit rows alone is brought forward.
    if (this.soon && this.soonForAudit) {
      clearTimeout(this.soon);
      this.soon = null;
    }
    if (!this.active || this.soon) return;
    this.soonForAudit = false;
    this.soon = setTimeout(() => {
      this.soon = null;
      void this.runNow();
    }, AFTER_WRITE_MS);
    this.soon.unref();
  }

  /** Only audit rows were written (a read): a round within seconds, so the clinic's trail is never 15 s behind. */
  audited(): void {
    if (!this.active || this.soon) return;
    this.soonForAudit = true;
    this.soon = setTimeout(() => {
      this.soon = null;
      void this.runNow();
    }, AFTER_AUDIT_MS);
    this.soon.unref();
  }

  async status(): Promise<SyncStatus> {
    const clinic = this.host.clinic();
    if (!clinic) {
      return { state: this.state, workstationNumber: 0, pending: 0, lastSyncAt: this.lastSyncAt, message: this.message, quarantined: 0, conflicts: 0 };
    }
    const row = await clinic.db.get<{ pending: number; quarantined: number; conflicts: number; number: number; enrolled: number; tenant_id: string | null }>(
      `SELECT (SELECT value FROM sync_counters WHERE name = 'pending') AS pending,
              (SELECT count(*) FROM sync_quarantine WHERE acknowledged_at IS NULL) AS quarantined,
              (SELECT count(*) FROM sync_conflicts WHERE resolved_at IS NULL) AS conflicts,
              (SELECT number FROM workstation WHERE id = 1) AS number,
              (SELECT count(*) FROM sync_identity) AS enrolled,
              (SELECT tenant_id FROM sync_identity WHERE id = 1) AS tenant_id`,
    );
    const state = row?.enrolled ? (this.state === 'not-enrolled' ? 'offline' : this.state) : 'not-enrolled';
    return {
      state, workstationNumber: row?.number ?? 1, pending: row?.pending ?? 0, lastSyncAt: this.lastSyncAt,
      message: this.message, quarantined: row?.quarantined ?? 0, conflicts: row?.conflicts ?? 0, clinicId: row?.tenant_id ?? null,
      ...(this.lastRound ? { lastRound: this.lastRound } : {}),
    };
  }

  /** One round now; concurrent callers share it, and a call during a round gets one more after. */
  runNow(): Promise<SyncStatus> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.round().finally(() => {
      this.running = null;
      if (this.again && this.active) {
        this.again = false;
        void this.runNow();
      }
    });
    return this.running;
  }

  private async round(): Promise<SyncStatus> {
    if (process.env.CHARTROOM_DEBUG_SYNC) console.error(`${new Date().toISOString()} ${this.host.workstationId.slice(0, 4)} round start socket=${this.socket?.readyState}`);
    try {
      return await this.attempt();
    } catch (e) {
      if (process.env.CHARTROOM_DEBUG_SYNC) console.error('sync round failed', e);
      // The database closed under the round (sign-out, shutdown): the next open starts again.
      this.state = 'offline';
      return { state: this.state, workstationNumber: 0, pending: 0, lastSyncAt: this.lastSyncAt, message: this.message, quarantined: 0, conflicts: 0 };
    }
  }

  private async attempt(): Promise<SyncStatus> {
    if (!this.host.clinic()) return this.status();
    if (!(await this.client.identity())) {
      this.state = 'not-enrolled';
      return this.publish();
    }
    this.writeWaiting = false;
    const r = await this.client.syncOnce({ bound: { pages: 10, pageSize: 200, ms: 750, yieldTo: () => this.writeWaiting } });
    if (process.env.CHARTROOM_DEBUG_SYNC) console.error(`${new Date().toISOString()} ${this.host.workstationId.slice(0, 4)} round end ${JSON.stringify(r.ok ? r.value : r.error.code)}`);
    if (r.ok) {
      this.state = 'online';
      const notes = [
        r.value.refused > 0 ? `${r.value.refused} message(s) from the cloud were refused and set aside for the admin.` : '',
        r.value.unsent > 0 ? `${r.value.unsent} change(s) made here could not be sent and were set aside for the admin.` : '',
      ].filter(Boolean);
      this.message = notes.length > 0 ? notes.join(' ') : null;
      this.lastSyncAt = new Date().toISOString();
      const { pushed, pulled, applied, refused, conflicts, keysShared } = r.value;
      this.lastRound = { pushed, pulled, applied, refused, conflicts, keysShared };
      this.retryMs = 0;
      // Pulled as far as one round may: the next follows at once (after what waits to be pushed).
      if (r.value.more) this.again = true;
      await this.rotateAfterLift();
      await this.listen();
    } else {
      if (process.env.CHARTROOM_DEBUG_SYNC) console.error('sync round refused', r.error);
      this.state = r.error.code === 'device-revoked' ? 'revoked' : r.error.code === 'clinic-locked-down' ? 'locked-down' : r.error.code === 'no-tenant-key' ? 'waiting-for-key' : 'offline';
      this.message = r.error.message;
      if (this.state === 'offline' && this.active && !this.retry) {
        this.retryMs = Math.min(Math.max(this.retryMs * 2, 1000), EVERY_MS);
        this.retry = setTimeout(() => {
          this.retry = null;
          void this.runNow();
        }, this.retryMs);
        this.retry.unref();
      }
    }
    return this.publish();
  }

  /** Lifted from a lockdown: a clinic key made before it began is replaced (whatever was taken then cannot read what follows). */
  private async rotateAfterLift(): Promise<void> {
    const since = this.host.lockdown.liftedSince();
    if (!since) return;
    const r = await this.client.rotateIfOlderThan(since);
    if (r.ok) await this.host.lockdown.rotated();
  }

  private async publish(): Promise<SyncStatus> {
    const s = await this.status();
    this.host.events.emit('sync.status', s);
    return s;
  }

  /** Holds a WebSocket to the cloud so a change elsewhere reaches this workstation at once. */
  private async listen(): Promise<void> {
    if (!this.active || (this.socket && this.socket.readyState <= WebSocket.OPEN)) return;
    const target = await this.client.stream();
    if (!target.ok) return;
    const socket = new WebSocket(target.value.url, { headers: { authorization: `Bearer ${target.value.token}` } });
    this.socket = socket;
    // "more", "keys" or "devices": in every case one round brings this workstation up to date.
    // So does "hello": whatever arrived between the last pull and this socket opening is
    // fetched now rather than at the next regular beat.
    socket.on('message', (m) => {
      if (process.env.CHARTROOM_DEBUG_SYNC) console.error(`${new Date().toISOString()} ${this.host.workstationId.slice(0, 4)} socket message ${String(m)}`);
      // Who waits in a video visit changed: the schedule asks again; nothing to sync.
      if (String(m).includes('"visits"')) return this.host.events.emit('visits.changed', {});
      // IT changed an update policy: the update service asks the feed now; nothing to sync.
      if (String(m).includes('"updates"')) return this.host.events.emit('updates.changed', { policy: true });
      void this.runNow();
    });
    socket.on('error', () => undefined);
    // The cloud went away (or restarted): find out at once, so the app shows it is offline.
    // Closed for a lockdown (4423): the screen locks now, not at the next round.
    socket.on('close', (code) => {
      if (code === LOCKED_DOWN_CODE) void this.host.lockdown.heard();
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.active) void this.runNow();
    });
  }
}
