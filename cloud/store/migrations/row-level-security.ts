// PostgreSQL's forced row-level security, applied after every migration run: a tenant's rows are
// visible only with `chartroom.tenant` set to it, on every table with a tenant column.
import { cloudMigrations } from './index';

/** Forced row-level security: a tenant's rows are visible only with `chartroom.tenant` set to it. */
export function rowLevelSecurity(tables: readonly string[]): string {
  return `
    ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
    ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
    DROP POLICY IF EXISTS tenant_isolation ON tenants;
    CREATE POLICY tenant_isolation ON tenants USING (id::text = current_setting('chartroom.tenant', true));
    ${tables.map((t) => `
    ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY;
    ALTER TABLE ${t} FORCE ROW LEVEL SECURITY;
    DROP POLICY IF EXISTS tenant_isolation ON ${t};
    CREATE POLICY tenant_isolation ON ${t} USING (tenant_id::text = current_setting('chartroom.tenant', true));`).join('')}`;
}

/** The tenant tables a schema version has (a test migrates to an older one). */
export function tablesAt(target: number | undefined): Set<string> {
  const upTo = cloudMigrations.filter((m) => target === undefined || m.version <= target);
  return new Set(upTo.flatMap((m) => [...m.postgres.matchAll(/CREATE TABLE IF NOT EXISTS (\w+)/g)].map((x) => x[1] as string)));
}
