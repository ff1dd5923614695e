// The backup call: an admin writes the clinic's offline backup to a file; audited, with where.
import type { CallName } from '../../../shared/api/contract';
import { ok } from '../../../shared/errors';
import { auditOf, type HandlersFor } from '../clinic/call-context';
import { writeBackup } from './write-backup';

type BackupCall = Extract<CallName, `backup.${string}`>;

export function backupHandlers(): HandlersFor<BackupCall> {
  return {
    'backup.write': async (input, ctx) => {
      const written = await writeBackup(ctx.clinic.db, ctx.clinic.workstationId, input.file);
      if (!written.ok) return written;
      await ctx.clinic.write((m) => m.audit(auditOf(ctx, 'backup.write', null, `${written.value.patients} patients, ${written.value.bytes} bytes, sha256 ${written.value.sha256}`)));
      return ok(written.value);
    },
  };
}
