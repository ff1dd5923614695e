// The clinic side of the video visits this workstation has joined: one socket to the tenant
// service per visit, kept open (and reopened after a drop) while the physician is in it. It
// opens the patient's identity answer with the visit's key and checks it against the
// appointment, and passes admission, signalling and chat between the renderer and the patient.
// Media never passes through here.
import WebSocket from 'ws';
import { assertNever } from '../../../shared/errors';
import { type ClinicMessage, ToClinic } from '../../../shared/video/wire';
import type { VisitUpdate } from '../../../shared/domain/video';
import type { Clinic } from '../clinic/open-clinic';
import type { CareLedger } from '../updates/care-ledger';
import type { EventBus } from '../events';
import type { SyncClient } from '../sync/client';
import { openChat, openIdentity, sealChat } from './visit-crypto';

interface Identity { name: string; dateOfBirth: string; matches: boolean }

interface Session {
  visitId: string;
  socket: WebSocket | null;
  identity: Identity | null;
  /** Agreed with the patient's page in its identity answer; chat is sealed with it. */
  chatKey: Buffer | null;
  patientPresent: boolean;
  joined: boolean;
  attempts: number;
  /** Frames dropped as not being visit frames (for the visit's status). */
  refusedFrames: number;
}

const normal = (s: string) => s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z]+/g, ' ').trim();

/** The typed name matches when it holds the family name and the first given name. */
export function identityMatches(typed: { name: string; dateOfBirth: string }, patient: { familyName: string; givenNames: string; dateOfBirth: string }): boolean {
  const words = new Set(normal(typed.name).split(' '));
  const family = normal(patient.familyName).split(' ');
  const first = normal(patient.givenNames).split(' ')[0] ?? '';
  return typed.dateOfBirth === patient.dateOfBirth && family.every((w) => words.has(w)) && words.has(first);
}

/** The clinic cloud's visit calls (the sync client answers them). */
export type VisitCloud = Pick<SyncClient, 'createVisit' | 'iceSettings' | 'setIceSettings' | 'waitingVisits' | 'visitIceServers' | 'markVisit' | 'visitSocket'>;

/** What video visits need: the cloud, the events, and the open clinic when there is one. */
export interface VisitPorts {
  readonly cloud: VisitCloud;
  readonly events: Pick<EventBus, 'on' | 'emit'>;
  clinic(): Clinic | null;
  /** Where a joined call is counted, so no update installs during it. */
  readonly care?: Pick<CareLedger, 'opened' | 'closed'>;
}

export class VisitSessions {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly ports: VisitPorts) {
    ports.events.on('session.ended', () => this.leaveAll());
  }

  get(appointmentId: string): Session | undefined {
    return this.sessions.get(appointmentId);
  }

  /** Opens (or keeps) the clinic socket of the appointment's current visit. */
  async join(appointmentId: string, visitId: string): Promise<Session> {
    const existing = this.sessions.get(appointmentId);
    if (existing?.joined && existing.visitId === visitId) return existing;
    const s: Session = { visitId, socket: null, identity: null, chatKey: null, patientPresent: false, joined: true, attempts: 0, refusedFrames: 0 };
    this.sessions.set(appointmentId, s);
    this.ports.care?.opened('call', appointmentId);
    await this.connect(appointmentId, s);
    return s;
  }

  private announce(appointmentId: string, update: VisitUpdate): void {
    this.ports.events.emit('visit.update', { appointmentId: appointmentId as never, update });
  }

  private async connect(appointmentId: string, s: Session): Promise<void> {
    const target = await this.ports.cloud.visitSocket(s.visitId);
    if (!target.ok) {
      // The cloud is out of reach (or refuses this workstation): keep trying while in the visit.
      this.announce(appointmentId, { kind: 'connection', state: 'reconnecting', message: `${target.error.message} Retrying.` });
      this.retry(appointmentId, s);
      return;
    }
    const ws = new WebSocket(target.value.url, { headers: { authorization: `Bearer ${target.value.token}` } });
    s.socket = ws;
    // Listening before the socket opens: the service's first frame (whether the patient is there)
    // can arrive with the handshake and be emitted before an `await` after 'open' resumes.
    ws.on('message', (raw: Buffer) => void this.heard(appointmentId, s, raw));
    ws.on('error', () => undefined);
    ws.on('close', (code, reason) => {
      if (s.socket !== ws) return;
      s.socket = null;
      // Refused or ended by the service: say why and stop. Dropped: reopen, without starting over.
      if (!s.joined || code >= 4000) {
        this.announce(appointmentId, { kind: 'connection', state: 'closed', message: reason.toString() || null });
        return;
      }
      this.announce(appointmentId, { kind: 'connection', state: 'reconnecting', message: 'The connection to the clinic cloud dropped; reconnecting.' });
      this.retry(appointmentId, s);
    });
    // The close handler is there before this wait: a socket that never opens (the cloud is down)
    // closes during it, and must be retried too.
    await new Promise<void>((resolve) => {
      ws.once('open', () => resolve());
      ws.once('error', () => resolve());
      ws.once('close', () => resolve());
    });
    if (ws.readyState === WebSocket.OPEN) {
      s.attempts = 0;
      this.announce(appointmentId, { kind: 'connection', state: 'connected', message: null });
    }
  }

  /** Tries again after 1, 2, 4 and then every 8 seconds, as long as the visit is joined. */
  private retry(appointmentId: string, s: Session): void {
    const delay = Math.min(1000 * 2 ** s.attempts++, 8000);
    setTimeout(() => { if (s.joined && this.sessions.get(appointmentId) === s) void this.connect(appointmentId, s); }, delay).unref();
  }

  private async heard(appointmentId: string, s: Session, raw: Buffer): Promise<void> {
    // Parsed with its schema: a frame that is not one (from a faulty relay or page) is dropped
    // and counted, and the call goes on.
    let m: ToClinic;
    try {
      const parsed = ToClinic.safeParse(JSON.parse(raw.toString('utf8')));
      if (!parsed.success) throw new Error('not a visit frame');
      m = parsed.data;
    } catch {
      s.refusedFrames++;
      return;
    }
    switch (m.type) {
      case 'patient':
        s.patientPresent = m.present;
        return this.announce(appointmentId, { kind: 'patient', present: s.patientPresent });
      case 'identity': {
        const clinic = this.ports.clinic();
        if (!clinic) return;
        const row = await clinic.db.get<{ identity_key: string; family_name: string; given_names: string; date_of_birth: string }>(
          `SELECT v.identity_key, p.family_name, p.given_names, p.date_of_birth FROM video_visits v
             JOIN appointments a ON a.id = v.appointment_id JOIN patients p ON p.id = a.patient_id WHERE v.id = ?`, [s.visitId]);
        const typed = row ? openIdentity(row.identity_key, m) : null;
        if (!row || !typed) return;
        s.chatKey = typed.chatKey;
        s.identity = { name: typed.name, dateOfBirth: typed.dateOfBirth, matches: identityMatches(typed, { familyName: row.family_name, givenNames: row.given_names, dateOfBirth: row.date_of_birth }) };
        return this.announce(appointmentId, { kind: 'identity', ...s.identity });
      }
      case 'signal':
        return this.announce(appointmentId, { kind: 'signal', call: m.call, data: m.data });
      case 'chat': {
        // Sealed by the patient's page: the service relayed ciphertext only.
        const text = s.chatKey ? openChat(s.chatKey, 'patient', { iv: m.iv, ciphertext: m.ciphertext }) : null;
        if (text !== null) this.announce(appointmentId, { kind: 'chat', text });
        return;
      }
      case 'leave':
        return this.announce(appointmentId, { kind: 'left' });
      case 'ended':
      case 'error':
      case 'refused':
        return;
      default:
        return assertNever(m, 'visit frame');
    }
  }

  /** Chat to the patient, sealed with the key agreed in their identity answer; false without one or a socket. */
  chat(appointmentId: string, text: string): boolean {
    const key = this.sessions.get(appointmentId)?.chatKey;
    return key ? this.send(appointmentId, { type: 'chat', ...sealChat(key, 'clinic', text) }) : false;
  }

  send(appointmentId: string, message: ClinicMessage): boolean {
    const s = this.sessions.get(appointmentId);
    if (!s?.socket || s.socket.readyState !== WebSocket.OPEN) return false;
    s.socket.send(JSON.stringify(message));
    return true;
  }

  leave(appointmentId: string): void {
    const s = this.sessions.get(appointmentId);
    if (!s) return;
    s.joined = false;
    s.socket?.close();
    this.sessions.delete(appointmentId);
    this.ports.care?.closed('call', appointmentId);
  }

  leaveAll(): void {
    for (const id of [...this.sessions.keys()]) this.leave(id);
  }
}
