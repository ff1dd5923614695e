// The backup calls: an admin writes the clinic's offline backup to a file, or chooses the folder
// for this workstation's daily backup and runs one now; every backup is audited.
import type { CallName } from '../../../shared/api/contract';
import { fail, ok } from '../../../shared/errors';
import { auditOf, type HandlersFor } from '../clinic/call-context';
import type { BackupService } from './backup-service';
import { writeBackup } from './write-backup';

type BackupCall = Extract<CallName, `backup.${string}`>;

export function backupHandlers(service: BackupService): HandlersFor<BackupCall> {
  return {
    'backup.status': async () => {
      const s = await service.status();
      return s ? ok(s) : fail('not-signed-in', 'Nobody is signed in.');
    },
    'backup.setFolder': async (input, ctx) => {
      const r = await service.setFolder(input.folder);
      if (r.ok) await ctx.clinic.write((m) => m.audit(auditOf(ctx, 'backup.setFolder', null, input.folder ? 'daily backups to a chosen folder' : 'daily backups turned off')));
      return r;
    },
    // The service audits the backup it wrote, and the drill.
    'backup.runNow': async () => service.runNow(),
    'backup.drill': async (input) => service.drill(input.recoveryCode, { file: input.file, from: input.from }),
    'backup.write': async (input, ctx) => {
      const written = await writeBackup(ctx.clinic.db, ctx.clinic.workstationId, input.file);
      if (!written.ok) return written;
      await ctx.clinic.write((m) => m.audit(auditOf(ctx, 'backup.write', null, `${written.value.patients} patients, ${written.value.bytes} bytes, sha256 ${written.value.sha256}`)));
      return ok(written.value);
    },
  };
}
