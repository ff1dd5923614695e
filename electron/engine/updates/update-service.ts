// This workstation's updates (issue 13), in the engine so that all of it runs under vitest;
// electron/main only hands electron-updater's events here and installs when told. It gives the
// feed's address and credential (the guard secret, held outside the database, since updates
// are checked while nobody is signed in), screens each offer and checks each download
// (offer-check.ts), keeps the verified update waiting until the install gate opens
// (install-gate.ts), counts a new version's starts, and reports each step to IT.
import type { UpdateStatus } from '../../../shared/updates/status';
import type { UpdateReportBody } from '../../../shared/updates/report';
import { withinRollout } from '../../../shared/updates/rollout';
import type { Result } from '../../../shared/errors';
import { cloudRequest, CloudError } from '../sync/cloud-http';
import type { Announce } from '../events';
import type { Logger } from '../logger';
import type { CareLedger } from './care-ledger';
import { type Gate, installGate } from './install-gate';
import { checkDownload, screenOffer, type Trust } from './offer-check';
import { loadUpdateState, saveUpdateState, type UpdateState } from './update-state';

export interface UpdateCredential {
  readonly cloudUrl: string;
  readonly tenantId: string;
  readonly deviceId: string;
  readonly secret: string;
}

export interface UpdatePorts {
  readonly file: string;
  /** The version running, and whether this host installs (the Electron app) or not (the browser host). */
  readonly running: string;
  readonly installer: UpdateStatus['installer'];
  readonly trustedKeys: readonly string[];
  credential(): UpdateCredential | null;
  readonly care: CareLedger;
  signedIn(): boolean;
  readonly events: Announce;
  readonly logger: Logger;
  readonly now?: () => Date;
}

export class UpdateService {
  private installNowAsked = false;
  private install: (() => void) | null = null;
  private lastProblem: UpdateStatus['lastProblem'] = null;
  /** Whether the cloud has heard which version runs here since this start. */
  private runningReported = false;

  private constructor(private readonly ports: UpdatePorts, private state: UpdateState) {}

  static async load(ports: UpdatePorts): Promise<UpdateService> {
    return new UpdateService(ports, await loadUpdateState(ports.file));
  }

  private now(): Date {
    return this.ports.now?.() ?? new Date();
  }

  /** What the host calls to install (electron-updater's quitAndInstall); only the Electron app gives one. */
  setInstaller(install: () => void): void {
    this.install = install;
  }

  /** electron-updater's generic feed for this workstation: its URL (with the version it runs) and headers; null before its first sync. */
  feed(): { url: string; headers: Record<string, string> } | null {
    const c = this.ports.credential();
    if (!c) return null;
    return { url: `${c.cloudUrl}/v1/tenants/${c.tenantId}/devices/${c.deviceId}/updates/?running=${encodeURIComponent(this.ports.running)}`, headers: { authorization: `Guard ${c.secret}` } };
  }

  private trust(deviceId: string): Trust {
    return { keys: this.ports.trustedKeys, running: this.ports.running, runningChannel: this.state.channel, deviceId, feedKey: this.state.feedKey, now: this.now() };
  }

  /**
   * electron-updater's `isUserWithinRollout`: whether to download this offer, and whether it may
   * go back (a rollback the vendor granted). A refusal is logged and told to IT once.
   */
  async screen(info: unknown): Promise<{ within: boolean; allowDowngrade: boolean }> {
    const c = this.ports.credential();
    if (!c) return { within: false, allowDowngrade: false };
    this.state = { ...this.state, lastCheckAt: this.now().toISOString() };
    const r = await screenOffer(info, this.trust(c.deviceId));
    if (!r.ok) {
      await this.refused(versionOf(info), r);
      return { within: false, allowDowngrade: false };
    }
    await this.keepFeedKey(r.value.answer.chartroom.stamp.key);
    const percent = r.value.answer.stagingPercentage;
    const within = percent === undefined || withinRollout(c.deviceId, r.value.answer.version, percent);
    return { within, allowDowngrade: r.value.rollback };
  }

  /** electron-updater downloaded `file` for `info`: checked, then kept waiting for the gate. */
  async downloaded(info: unknown, file: string): Promise<Result<{ version: string }>> {
    const c = this.ports.credential();
    if (!c) return { ok: false, error: { code: 'not-enrolled', message: 'This workstation is not enrolled with a clinic cloud.' } };
    const r = await checkDownload(info, file, this.trust(c.deviceId));
    if (!r.ok) {
      await this.refused(versionOf(info), r);
      return r;
    }
    this.state = { ...this.state, pending: { answer: r.value.answer, file } };
    await saveUpdateState(this.ports.file, this.state);
    this.ports.logger.info({ event: 'update.verified', version: r.value.answer.version }, 'an update was downloaded and verified');
    await this.report({ kind: 'verified', version: r.value.answer.version, detail: null });
    this.ports.events.emit('updates.changed', { policy: false });
    await this.evaluate();
    return { ok: true, value: { version: r.value.answer.version } };
  }

  /** electron-updater failed (a download cut off, the feed out of reach): told to IT once per version. */
  async failed(code: string): Promise<void> {
    const version = this.state.pending?.answer.version ?? this.ports.running;
    this.lastProblem = { code: 'update-failed', message: `The update could not be fetched (${code.slice(0, 60)}).`, at: this.now().toISOString() };
    await this.reportOnce(`failure:${version}:${code}`, { kind: 'failure', version, detail: this.lastProblem.message });
  }

  /** An admin's *Install now*: installs at once unless a note is open or a call is running here. */
  async installNow(): Promise<Gate | null> {
    if (!this.state.pending) return null;
    this.installNowAsked = true;
    return this.evaluate();
  }

  /** Asked after sign-out, after a note closes or a call ends, and every minute: installs when the gate opens. */
  async evaluate(): Promise<Gate | null> {
    const pending = this.state.pending;
    if (!pending) return null;
    const gate = installGate({ signedIn: this.ports.signedIn(), notes: this.ports.care.notes, calls: this.ports.care.calls }, pending.answer.chartroom.window, this.now(), this.installNowAsked);
    if (!gate.install || !this.install) return gate;
    // Checked again at the moment of installing: the file must still be the one signed.
    const c = this.ports.credential();
    const again = c ? await checkDownload(pending.answer, pending.file, { ...this.trust(c.deviceId), now: new Date(Date.parse(pending.answer.chartroom.stamp.issuedAt)) }) : null;
    if (!again?.ok) {
      this.state = { ...this.state, pending: null };
      await saveUpdateState(this.ports.file, this.state);
      if (again) await this.refused(pending.answer.version, again);
      return gate;
    }
    this.state = { ...this.state, pending: null, starts: { version: pending.answer.version, count: 0 }, channel: pending.answer.chartroom.channel };
    await saveUpdateState(this.ports.file, this.state);
    this.ports.logger.info({ event: 'update.install', version: pending.answer.version, because: gate.because }, 'an update installs');
    await this.report({ kind: 'install', version: pending.answer.version, detail: gate.because });
    this.install();
    return gate;
  }

  /** At each start, before the window opens: a new version that began twice without finishing says so to IT. */
  async booting(): Promise<void> {
    const s = this.state.starts;
    if (!s || s.version !== this.ports.running) return;
    const count = s.count + 1;
    this.state = { ...this.state, starts: { version: s.version, count } };
    await saveUpdateState(this.ports.file, this.state);
    if (count === 3) {
      this.ports.logger.error({ event: 'update.failed-to-start', version: s.version }, 'the new version failed to start twice');
      await this.report({ kind: 'failure', version: s.version, detail: `${s.version} failed to start twice after it was installed.` });
    }
  }

  /** The app came up: the version running reports in, and a new version's count of starts ends. */
  async started(): Promise<void> {
    this.state = { ...this.state, starts: null, pending: this.state.pending?.answer.version === this.ports.running ? null : this.state.pending };
    await saveUpdateState(this.ports.file, this.state);
    this.runningReported = await this.report({ kind: 'running', version: this.ports.running, detail: null });
  }

  /** After a sync round: the version running reports in once per start, if it could not before (offline, or not yet enrolled). */
  async checkedIn(): Promise<void> {
    if (this.runningReported) return;
    this.runningReported = true;
    this.runningReported = await this.report({ kind: 'running', version: this.ports.running, detail: null });
  }

  status(): UpdateStatus {
    const pending = this.state.pending;
    const gate = pending ? installGate({ signedIn: this.ports.signedIn(), notes: this.ports.care.notes, calls: this.ports.care.calls }, pending.answer.chartroom.window, this.now(), false) : null;
    return {
      version: this.ports.running,
      channel: this.state.channel,
      installer: this.ports.installer,
      lastCheckAt: this.state.lastCheckAt,
      pending: pending ? { version: pending.answer.version, message: gate && !gate.install ? gate.message : 'An update is ready and installs now.' } : null,
      lastProblem: this.lastProblem,
    };
  }

  private async keepFeedKey(key: string): Promise<void> {
    if (this.state.feedKey) return;
    this.state = { ...this.state, feedKey: key };
    await saveUpdateState(this.ports.file, this.state);
  }

  private async refused(version: string, r: Result<never> | { ok: false; error: { code: string; message: string } }): Promise<void> {
    if (r.ok) return;
    this.lastProblem = { code: r.error.code, message: r.error.message, at: this.now().toISOString() };
    this.ports.logger.warn({ event: 'update.refused', version, code: r.error.code }, 'an update was refused');
    this.ports.events.emit('updates.changed', { policy: false });
    await this.reportOnce(`refused:${version}:${r.error.code}`, { kind: 'refused', version, detail: `${r.error.code}: ${r.error.message}` });
  }

  private async reportOnce(key: string, body: UpdateReportBody): Promise<void> {
    if (this.state.reported.includes(key)) return;
    this.state = { ...this.state, reported: [...this.state.reported, key].slice(-50) };
    await saveUpdateState(this.ports.file, this.state);
    await this.report(body);
  }

  /** Tells IT (true once the cloud has it); offline, the workstation's own log keeps it. */
  private async report(body: UpdateReportBody): Promise<boolean> {
    const c = this.ports.credential();
    if (!c) return false;
    try {
      await cloudRequest(c.cloudUrl, 'reportUpdate', { params: { tenantId: c.tenantId, deviceId: c.deviceId }, body, guard: c.secret, timeoutMs: 5_000 });
      return true;
    } catch (e) {
      if (!(e instanceof CloudError)) throw e;
      this.ports.logger.info({ event: 'update.unreported', code: e.code, kind: body.kind }, 'an update event could not be told to the cloud');
      return false;
    }
  }
}

/** The version an answer names, for the record, even when the rest of it is refused. */
function versionOf(info: unknown): string {
  const v = (info as { version?: unknown } | null)?.version;
  return typeof v === 'string' && /^\d{1,5}\.\d{1,5}\.\d{1,5}(-[0-9A-Za-z.-]{1,40})?$/.test(v) ? v : '0.0.0';
}
