// A numbered step of the cloud's schema, in both dialects: SQLite (the embedded default) and
// PostgreSQL. Each runs once, in order, in its own transaction; the version is kept in the
// database (SQLite `user_version`, PostgreSQL `schema_migrations`), and a database newer than
// this service is refused.
export interface CloudMigration {
  readonly version: number;
  readonly name: string;
  readonly sqlite: string;
  readonly postgres: string;
}

export class SchemaNewerThanService extends Error {
  constructor(readonly found: number, readonly known: number) {
    super(`the cloud database is at schema ${found}, newer than this service knows (${known}): upgrade the service`);
  }
}
