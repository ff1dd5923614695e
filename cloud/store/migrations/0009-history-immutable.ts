// History nobody can erase, through the service's own connection: snapshots are neither
// changed nor deleted, nor are documents' blob chunks, like the messages and the audit heads
// already; on PostgreSQL a TRUNCATE of any of them is refused too (row triggers do not see one).
import type { CloudMigration } from './migration';

const HISTORY = ['messages', 'snapshots', 'blob_chunks', 'audit_heads'] as const;

export const m0009: CloudMigration = {
  version: 9,
  name: 'history-immutable',
  sqlite: `
    CREATE TRIGGER IF NOT EXISTS snapshots_append_only_delete BEFORE DELETE ON snapshots BEGIN SELECT RAISE(ABORT, 'snapshots are append-only'); END;
    CREATE TRIGGER IF NOT EXISTS blob_chunks_append_only_update BEFORE UPDATE ON blob_chunks BEGIN SELECT RAISE(ABORT, 'blob chunks are append-only'); END;
    CREATE TRIGGER IF NOT EXISTS blob_chunks_append_only_delete BEFORE DELETE ON blob_chunks BEGIN SELECT RAISE(ABORT, 'blob chunks are append-only'); END;
  `,
  postgres: `
    DROP TRIGGER IF EXISTS snapshots_append_only ON snapshots;
    CREATE TRIGGER snapshots_append_only BEFORE UPDATE OR DELETE ON snapshots FOR EACH ROW EXECUTE FUNCTION chartroom_append_only();
    DROP TRIGGER IF EXISTS blob_chunks_append_only ON blob_chunks;
    CREATE TRIGGER blob_chunks_append_only BEFORE UPDATE OR DELETE ON blob_chunks FOR EACH ROW EXECUTE FUNCTION chartroom_append_only();
    ${HISTORY.map((t) => `DROP TRIGGER IF EXISTS ${t}_no_truncate ON ${t};
    CREATE TRIGGER ${t}_no_truncate BEFORE TRUNCATE ON ${t} FOR EACH STATEMENT EXECUTE FUNCTION chartroom_append_only();`).join('\n    ')}
  `,
};
