// This workstation's daily offline backup, to a folder an admin chose (a USB drive, a NAS
// share): written while someone is signed in (the database is open only then), once a day,
// each to a new file named by clinic and time; the result, or why it failed, is kept for the
// admin's screen. Checked every quarter of an hour; the time is taken as given, so tests move it.
// Also the restore drill (restore-drill.ts), whose last report the same screen shows.
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { type BackupStatus, DRILL_DUE_DAYS, DrillReport, type DrillSource } from '../../../shared/domain/backup';
import { fail, ok, type Result } from '../../../shared/errors';
import type { SyncStore } from '../clinic/open-clinic';
import type { Logger } from '../logger';
import { BACKUP_EXTENSION } from './backup-file';
import { type DrillSync, type RestoreFromCloudInto, runCloudDrill } from './cloud-drill';
import { newestBackup, type RestoreInto, runDrill } from './restore-drill';
import { type WrittenBackup, writeBackup } from './write-backup';

export const BACKUP_EVERY_MS = 24 * 3600_000;
const CHECK_EVERY_MS = 15 * 60_000;

interface Row {
  folder: string | null; last_at: string | null; last_file: string | null; last_error: string | null; last_error_at: string | null; last_drill_report: string | null;
  last_cloud_drill_report: string | null;
}

const storedReport = (json: string | null): DrillReport | null => {
  const parsed = json ? DrillReport.safeParse(JSON.parse(json)) : null;
  return parsed?.success ? parsed.data : null;
};

export interface BackupHost {
  clinic(): SyncStore | null;
  readonly workstationId: string;
  readonly logger: Logger;
  /** A whole restore into an empty data dir, in an engine of its own (the drill's). */
  readonly restoreInto: RestoreInto;
  /** The same from the clinic's cloud (a drill from the cloud). */
  readonly restoreFromCloudInto: RestoreFromCloudInto;
  readonly sync: DrillSync;
}

const slug = (name: string) => name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'clinic';
const stamp = (d: Date) => {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
};

export class BackupService {
  private readonly timer: NodeJS.Timeout;
  private running: Promise<Result<WrittenBackup>> | null = null;

  constructor(private readonly host: BackupHost) {
    this.timer = setInterval(() => void this.tick(), CHECK_EVERY_MS);
    this.timer.unref();
  }

  private async row(clinic: SyncStore): Promise<Row> {
    return (await clinic.db.get<Row>('SELECT folder, last_at, last_file, last_error, last_error_at, last_drill_report, last_cloud_drill_report FROM backup_schedule WHERE id = 1'))
      ?? { folder: null, last_at: null, last_file: null, last_error: null, last_error_at: null, last_drill_report: null, last_cloud_drill_report: null };
  }

  async status(now = new Date()): Promise<BackupStatus | null> {
    const clinic = this.host.clinic();
    if (!clinic) return null;
    const r = await this.row(clinic);
    const nextAt = r.folder ? new Date(r.last_at ? Date.parse(r.last_at) + BACKUP_EVERY_MS : now.getTime()).toISOString() : null;
    const failedSince = r.last_error && (!r.last_at || (r.last_error_at ?? '') > r.last_at);
    const lastDrill = storedReport(r.last_drill_report);
    const lastCloudDrill = storedReport(r.last_cloud_drill_report);
    const passed = [lastDrill, lastCloudDrill].filter((d) => d?.ok).map((d) => Date.parse(d?.at ?? ''));
    const drillOverdue = passed.length === 0 || now.getTime() - Math.max(...passed) > DRILL_DUE_DAYS * 24 * 3600_000;
    return { folder: r.folder, lastAt: r.last_at, lastFile: r.last_file, lastError: failedSince ? r.last_error : null, nextAt, lastDrill, lastCloudDrill, drillOverdue };
  }

  /**
   * A restore drill from the newest backup in the folder, or `file`: restored into a temporary
   * folder with every check, timed, removed; the report is kept for the admin's screen and the
   * audit log.
   */
  async drill(recoveryCode: string, opts: { file?: string; from?: DrillSource } = {}, now = new Date()): Promise<Result<DrillReport>> {
    const clinic = this.host.clinic();
    if (!clinic) return fail('not-signed-in', 'Nobody is signed in.');
    let report: Result<DrillReport>;
    if (opts.from === 'cloud') {
      report = await runCloudDrill(this.host.sync, clinic.db, this.host.restoreFromCloudInto, recoveryCode, now);
    } else {
      const r = await this.row(clinic);
      const source = opts.file ?? (r.folder ? await newestBackup(r.folder) : null);
      if (!source) return fail('no-backup-folder', r.folder ? 'There is no backup in the backup folder yet: back up first.' : 'Choose the folder for backups first.');
      report = await runDrill(source, recoveryCode, clinic.db, this.host.restoreInto, now);
    }
    if (!report.ok) return report;
    const d = report.value;
    const open = this.host.clinic();
    if (open) {
      await open.local((tx) => (d.source === 'cloud'
        ? tx.run('UPDATE backup_schedule SET last_cloud_drill_report = ? WHERE id = 1', [JSON.stringify(d)])
        : tx.run('UPDATE backup_schedule SET last_drill_at = ?, last_drill_ok = ?, last_drill_report = ? WHERE id = 1', [d.at, d.ok ? 1 : 0, JSON.stringify(d)])));
      const from = d.source === 'cloud' ? `the cloud, at place ${d.seq ?? '?'} in its history` : `the backup of ${d.backupAt ?? 'unknown'}`;
      await open.write((m) => m.audit({ userId: null, username: null, action: 'backup.drill', patientId: null, outcome: d.ok ? 'success' : 'failed', detail: `${d.ok ? 'restored' : 'failed'} in ${d.seconds} s from ${from}: ${d.message}` }));
    }
    this.host.logger.info({ event: 'backup.drill', source: d.source, ok: d.ok, seconds: d.seconds }, 'restore drill');
    return ok(d);
  }

  /** Chooses the folder (a full path to a folder this workstation can write to), or none. */
  async setFolder(folder: string | null): Promise<Result<BackupStatus>> {
    const clinic = this.host.clinic();
    if (!clinic) return fail('not-signed-in', 'Nobody is signed in.');
    if (folder !== null) {
      if (!isAbsolute(folder)) return fail('invalid-input', 'Give the folder’s full path (for example /media/usb/backups or E:\\Backups).');
      const isDir = await stat(folder).then((s) => s.isDirectory(), () => false);
      if (!isDir) return fail('invalid-input', 'There is no folder at that path on this workstation.');
      if (!(await access(folder, constants.W_OK).then(() => true, () => false))) return fail('invalid-input', 'This workstation cannot write to that folder.');
    }
    await clinic.local((tx) => tx.run('UPDATE backup_schedule SET folder = ? WHERE id = 1', [folder]));
    return ok((await this.status()) as BackupStatus);
  }

  /** A backup to the chosen folder now (one at a time). */
  runNow(now = new Date()): Promise<Result<WrittenBackup>> {
    this.running ??= this.run(now).finally(() => { this.running = null; });
    return this.running;
  }

  /** The daily check: a backup when one is due and someone is signed in. */
  async tick(now = new Date()): Promise<Result<WrittenBackup> | null> {
    const clinic = this.host.clinic();
    if (!clinic) return null;
    const r = await this.row(clinic);
    if (!r.folder || (r.last_at && now.getTime() - Date.parse(r.last_at) < BACKUP_EVERY_MS)) return null;
    // After a failure, try again an hour later, not every quarter of an hour.
    if (r.last_error_at && now.getTime() - Date.parse(r.last_error_at) < 3600_000 && (!r.last_at || r.last_error_at > r.last_at)) return null;
    return this.runNow(now);
  }

  close(): void {
    clearInterval(this.timer);
  }

  private async run(now: Date): Promise<Result<WrittenBackup>> {
    const clinic = this.host.clinic();
    if (!clinic) return fail('not-signed-in', 'Nobody is signed in.');
    const r = await this.row(clinic);
    if (!r.folder) return fail('no-backup-folder', 'Choose the folder for backups first.');
    const name = (await clinic.db.get<{ name: string }>('SELECT name FROM clinic ORDER BY created_at LIMIT 1'))?.name ?? 'clinic';
    const file = join(r.folder, `chartroom-${slug(name)}-${stamp(now)}${BACKUP_EXTENSION}`);
    let written: Result<WrittenBackup>;
    try {
      written = await writeBackup(clinic.db, this.host.workstationId, file, now);
    } catch (e) {
      // A drive pulled out, a full disk: said in words, kept for the admin, tried again later.
      const code = (e as NodeJS.ErrnoException).code ?? 'unknown';
      written = fail('backup-damaged', code === 'ENOSPC' ? 'The backup folder’s drive is full.' : `The backup could not be written to the folder (${code}). Is the drive there?`);
    }
    const at = now.toISOString();
    // The clinic may have closed meanwhile (sign-out): then the outcome is not recorded.
    const open = this.host.clinic();
    if (open) {
      if (written.ok) {
        const w = written.value;
        await open.write((m) => m.audit({ userId: null, username: null, action: 'backup.write', patientId: null, outcome: 'success', detail: `to the backup folder: ${w.patients} patients, ${w.bytes} bytes, sha256 ${w.sha256}` }));
      }
      await open.local((tx) => written.ok
        ? tx.run('UPDATE backup_schedule SET last_at = ?, last_file = ? WHERE id = 1', [at, written.value.file])
        : tx.run('UPDATE backup_schedule SET last_error = ?, last_error_at = ? WHERE id = 1', [written.error.message, at]));
    }
    this.host.logger[written.ok ? 'info' : 'warn']({ event: 'backup.daily', ok: written.ok, code: written.ok ? null : written.error.code }, 'daily backup');
    return written;
  }
}
