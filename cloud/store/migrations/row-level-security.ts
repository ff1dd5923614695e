// PostgreSQL's forced row-level security, applied after every migration run: a tenant's rows are
// visible only with `chartroom.tenant` set to it, on every table with a tenant column. A table
// the schema does not have yet (a test stopping at an older version) is passed over.

/** The statements for `tables` (each has a `tenant_id`) and for `tenants` itself. */
export function rowLevelSecurity(tables: readonly string[]): string {
  const guard = (table: string, column: string) => `
    DO $$ BEGIN IF to_regclass('${table}') IS NOT NULL THEN
      ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;
      ALTER TABLE ${table} FORCE ROW LEVEL SECURITY;
      DROP POLICY IF EXISTS tenant_isolation ON ${table};
      CREATE POLICY tenant_isolation ON ${table} USING (${column}::text = current_setting('chartroom.tenant', true));
    END IF; END $$;`;
  return [guard('tenants', 'id'), ...tables.map((t) => guard(t, 'tenant_id'))].join('\n');
}
