import BetterSqlite3 from 'better-sqlite3';
import type { MigrationSource } from '../../core/db/migration-runner';
import { migrateTenantConnection } from '../../tenant-runtime/tenant-migrator';

/** One entry of sqlite_master: a table, index, view or trigger with its SQL. */
export interface SchemaObject {
  type: string;
  name: string;
  table: string;
  sql: string | null;
}

/** Every object of a database's schema, in a stable order, SQL with its white space folded. */
export function schemaOf(db: BetterSqlite3.Database): SchemaObject[] {
  const rows = db.prepare('select type, name, tbl_name as "table", sql from sqlite_master order by type, name').all() as SchemaObject[];
  return rows.map((row) => ({ ...row, sql: row.sql === null ? null : row.sql.replace(/\s+/g, ' ').trim() }));
}

const cache = new Map<string, SchemaObject[]>();

/**
 * The schema a tenant database has after exactly these migrations of the track: built once per
 * set of names, by running them on an empty in-memory database (so it is what the code makes,
 * never what a file claims).
 */
export async function referenceSchema(source: MigrationSource, names: string[]): Promise<SchemaObject[]> {
  const key = `${source.fingerprint}:${names.join(',')}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const wanted = new Set(names);
  const migrations = source.migrations.filter((m) => wanted.has(m.name));
  const subset: MigrationSource = { ...source, migrations, names: migrations.map((m) => m.name), latest: migrations.at(-1)?.name ?? null };
  const db = new BetterSqlite3(':memory:');
  try {
    await migrateTenantConnection(db, subset);
    const schema = schemaOf(db);
    cache.set(key, schema);
    return schema;
  } finally {
    db.close();
  }
}
