// The undo calls (undo-service.ts), for admins: the preview, audited with what it found, and the
// undo itself, audited step by step.
import type { CallName } from '../../../shared/api/contract';
import { auditOf, type HandlersFor } from '../clinic/call-context';
import type { SyncService } from '../sync/sync-service';
import { applyUndo, previewUndo, type UndoDeps } from './undo-service';

type UndoCall = Extract<CallName, `undo.${string}`>;

export function undoHandlers(service: SyncService): HandlersFor<UndoCall> {
  const deps: UndoDeps = { history: () => service.sync.readHistory(), devices: () => service.sync.devices() };
  return {
    'undo.preview': async (input, ctx) => {
      const r = await previewUndo(deps, ctx.clinic, input);
      if (r.ok) {
        await ctx.clinic.write((m) => m.audit(auditOf(ctx, 'undo.preview', null, `${input.userId ? `user=${input.userId}` : `device=${input.deviceId}`} after=${input.after} change-sets=${r.value.changeSets} fields=${r.value.fields} patients=${r.value.patients.length}`)));
      }
      return r;
    },
    'undo.apply': async (input, ctx) => {
      const r = await applyUndo(deps, ctx.clinic, input, (detail) => auditOf(ctx, 'undo.apply', null, detail));
      // The undo's change sets leave at once.
      if (r.ok) void service.runNow();
      return r;
    },
  };
}
