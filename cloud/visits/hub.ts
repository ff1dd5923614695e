// The visits this service process holds sockets of ("rooms"), and the relay between processes:
// every delivery to a visit's sockets goes through the store's relay (PostgreSQL NOTIFY; in
// process for SQLite), so a visit's patient and workstations may sit in different processes
// behind a load balancer. Patient claims are renewed here, and a socket that stops answering
// pings is ended, so a vanished network never holds a link for ever.
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { assertNever } from '../../shared/errors';
import type { PatientMessage } from '../../shared/video/wire';
import type { EventStore, VisitRelay, VisitStore } from '../store/store';
import { refusals, type SocketRefusal } from './link-state';

export interface Room {
  /** The patient's socket, if it is in this process, and its claim in the store. */
  patient: { socket: WebSocket; holder: string } | null;
  /** The patient's latest identity answer (ciphertext), for a workstation that joins after it. */
  identity: PatientMessage | null;
  /** The clinic sockets of this visit in this process. */
  clinic: Set<WebSocket>;
  timer: NodeJS.Timeout | null;
  /** Whether the patient was last told a workstation is in the visit. */
  readyTold: boolean;
  /** Admission is never undone: once seen, the patient's frames need no look-up. */
  admitted: boolean;
  /** Waiting for another process to say it still holds a workstation in the visit. */
  rollCall: NodeJS.Timeout | null;
}

/** What one service process asks of the process(es) holding a visit's sockets (VisitRelay.body). */
const RelayBody = z.discriminatedUnion('kind', [
  /** Pass this frame to the sockets. */
  z.object({ kind: z.literal('send'), frame: z.record(z.string(), z.unknown()) }),
  /** To the patient's process: close the patient's socket with this refusal. */
  z.object({ kind: z.literal('close'), refusal: z.enum(['revoked', 'closed']) }),
  z.object({ kind: z.literal('admitted') }),
  /** To the patient's process: a workstation joined (tell the patient; say who is there). */
  z.object({ kind: z.literal('clinic-joined') }),
  /** To the patient's process: a process's last workstation left (are there others?). */
  z.object({ kind: z.literal('clinic-left') }),
  /** To clinic processes: answer `clinic-here` if you hold a workstation in the visit. */
  z.object({ kind: z.literal('roll-call') }),
  z.object({ kind: z.literal('clinic-here') }),
  /** To the patient's process: the same page reconnected elsewhere; drop the socket held here. */
  z.object({ kind: z.literal('replaced'), holder: z.string() }),
]);
export type RelayBody = z.infer<typeof RelayBody>;

/** A patient's claim is renewed this often while its socket lives, and lapses after three misses. */
const CLAIM_RENEW_MS = 10_000;
const CLAIM_FRESH_MS = 30_000;
/** How long the patient's process waits for another to answer a roll-call before saying no one is there. */
const ROLL_CALL_MS = 500;

type VisitKey = { readonly tenantId: string; readonly visitId: string };

export function send(s: WebSocket | null | undefined, m: unknown): void {
  if (s && s.readyState === s.OPEN) s.send(JSON.stringify(m));
}

export function close(s: WebSocket, r: SocketRefusal): void {
  send(s, { type: 'refused', message: r.message });
  s.close(r.code, r.message.slice(0, 120));
}

/** Closes a socket the checks turned down; nothing more happens on it. */
export function refuse(s: WebSocket, r: SocketRefusal): null {
  close(s, r);
  return null;
}

export class VisitHub {
  private readonly rooms = new Map<string, Room>();
  private readonly alive = new WeakMap<WebSocket, boolean>();
  private readonly renew: NodeJS.Timeout;
  private readonly beat: NodeJS.Timeout;
  private readonly stopRelay: Promise<() => Promise<void>>;

  constructor(readonly store: VisitStore & EventStore, readonly log: FastifyBaseLogger, heartbeatMs = 15_000) {
    this.stopRelay = store.onVisitRelay((m) => void this.heard(m));
    // Keeps this process's patient claims fresh; a crashed process's claims lapse.
    this.renew = setInterval(() => {
      const claims = [...this.rooms].flatMap(([key, r]) => {
        if (!r.patient) return [];
        const [tenantId = '', visitId = ''] = key.split('/');
        return [{ tenantId, visitId, holder: r.patient.holder }];
      });
      if (claims.length > 0) void store.renewVisitPatients(claims, new Date().toISOString()).catch(() => undefined);
    }, CLAIM_RENEW_MS);
    this.renew.unref();
    // A socket whose other end vanished without closing would hold the patient's claim for ever:
    // each socket is pinged, and one that missed the last ping is ended.
    this.beat = setInterval(() => {
      for (const r of this.rooms.values()) {
        for (const s of [...(r.patient ? [r.patient.socket] : []), ...r.clinic]) {
          if (this.alive.get(s) === false) { s.terminate(); continue; }
          this.alive.set(s, false);
          s.ping();
        }
      }
    }, heartbeatMs);
    this.beat.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.beat);
    clearInterval(this.renew);
    await (await this.stopRelay)();
  }

  roomOf(v: VisitKey): Room {
    const key = `${v.tenantId}/${v.visitId}`;
    let r = this.rooms.get(key);
    if (!r) {
      r = { patient: null, identity: null, clinic: new Set(), timer: null, readyTold: false, admitted: false, rollCall: null };
      this.rooms.set(key, r);
    }
    return r;
  }

  /** Forgets a room with no socket left in this process. */
  tidy(v: VisitKey, r: Room): void {
    if (r.patient || r.clinic.size > 0) return;
    if (r.timer) clearTimeout(r.timer);
    if (r.rollCall) clearTimeout(r.rollCall);
    this.rooms.delete(`${v.tenantId}/${v.visitId}`);
  }

  /** Answers pings: a socket that stops is ended at the next beat. */
  watch(s: WebSocket): void {
    this.alive.set(s, true);
    s.on('pong', () => this.alive.set(s, true));
  }

  relay(v: VisitKey, to: 'patient' | 'clinic', body: RelayBody): Promise<void> {
    return this.store.relayVisit({ tenantId: v.tenantId, visitId: v.visitId, to, body: JSON.stringify(body) })
      .catch((e: unknown) => this.log.warn({ event: 'visit.relay-failed', err: e instanceof Error ? e.message : 'unknown' }, 'visit relay failed'));
  }

  /** Who is waiting changed: the tenant's online workstations (on any process) ask again. */
  waitingChanged(tenantId: string): void {
    void this.store.notify(tenantId, 'visits').catch(() => undefined);
  }

  /** Claims renewed after this are live. */
  freshAfter(): string {
    return new Date(Date.now() - CLAIM_FRESH_MS).toISOString();
  }

  async tellReady(v: VisitKey, r: Room): Promise<void> {
    if (r.rollCall) clearTimeout(r.rollCall);
    r.rollCall = null;
    if (!r.patient || r.readyTold) return;
    r.readyTold = true;
    send(r.patient.socket, { type: 'clinic', ready: true, admitted: Boolean((await this.store.getVisit(v.tenantId, v.visitId))?.admittedAt) });
  }

  /** What other processes (or this one) ask of the sockets held here. */
  private async heard(m: VisitRelay): Promise<void> {
    const r = this.rooms.get(`${m.tenantId}/${m.visitId}`);
    if (!r) return;
    let body: RelayBody;
    try {
      body = RelayBody.parse(JSON.parse(m.body));
    } catch {
      return;
    }
    if (m.to === 'clinic') {
      if (body.kind === 'send') for (const s of r.clinic) send(s, body.frame);
      if (body.kind === 'roll-call' && r.clinic.size > 0) await this.relay(m, 'patient', { kind: 'clinic-here' });
      return;
    }
    const patient = r.patient;
    if (!patient) return;
    switch (body.kind) {
      case 'send':
        return send(patient.socket, body.frame);
      case 'close':
        return close(patient.socket, refusals[body.refusal]);
      case 'admitted':
        r.admitted = true;
        if (r.timer) clearTimeout(r.timer);
        r.timer = null;
        return send(patient.socket, { type: 'admitted' });
      case 'clinic-joined':
        // The workstation that joined hears who is here, wherever it is.
        r.readyTold = false;
        await this.tellReady(m, r);
        await this.relay(m, 'clinic', { kind: 'send', frame: { type: 'patient', present: true } });
        if (r.identity) await this.relay(m, 'clinic', { kind: 'send', frame: r.identity });
        return;
      case 'clinic-here':
        return this.tellReady(m, r);
      case 'clinic-left':
        if (r.clinic.size > 0 || r.rollCall) return;
        r.rollCall = setTimeout(() => {
          r.rollCall = null;
          if (!r.patient) return;
          r.readyTold = false;
          send(r.patient.socket, { type: 'clinic', ready: false, admitted: false });
        }, ROLL_CALL_MS);
        return void this.relay(m, 'clinic', { kind: 'roll-call' });
      case 'replaced':
        if (patient.holder === body.holder) return;
        // Not released and no "left": the page is still here, on its new socket.
        r.patient = null;
        patient.socket.close(4001, 'Replaced by a newer connection of the same page.');
        return this.tidy(m, r);
      case 'roll-call':
        return;
      default:
        return assertNever(body, 'visit relay');
    }
  }
}
