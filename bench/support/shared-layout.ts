import BetterSqlite3 from 'better-sqlite3';

/** The tenant file's items table and its indexes as created by the migrations, and its columns. */
export function tenantItemsSchema(tenantFile: string): { schema: string[]; columns: string[] } {
  const db = new BetterSqlite3(tenantFile, { readonly: true, fileMustExist: true });
  try {
    const table = (db.prepare("select sql from sqlite_master where type = 'table' and name = 'items'").get() as { sql: string }).sql;
    const indexes = (
      db.prepare("select sql from sqlite_master where type = 'index' and tbl_name = 'items' and sql is not null").all() as Array<{ sql: string }>
    ).map((r) => r.sql);
    const columns = (db.prepare('pragma table_info(items)').all() as Array<{ name: string }>).map((c) => c.name);
    return { schema: [table, ...indexes], columns };
  } finally {
    db.close();
  }
}

/**
 * The seeds' design, kept in step with the tenant schema: the tenant's own `items` table with a
 * tenant_id column in front, each of its indexes led by tenant_id, and the two indexes the seeds
 * would add, (tenant_id, id) and (tenant_id, created_at).
 */
export function sharedSchemaFrom(tenantFile: string): string[] {
  const [table, ...indexes] = tenantItemsSchema(tenantFile).schema;
  return [
    table.replace('(', '(`tenant_id` varchar(32) not null, '),
    ...indexes.map((sql) => sql.replace(/\bon\s+[`"]?items[`"]?\s*\(/i, 'on `items` (`tenant_id`, ')),
    'create index items_tenant_id on items (tenant_id, id)',
    'create index items_tenant_created on items (tenant_id, created_at)',
  ];
}

/**
 * One tenant's rows of the shared file into a SQLite file of their own, with the tenant schema
 * (the items table and its indexes, as a tenant file has them): what the shared design must do
 * to hand a client its database. Neither side flushes its copy.
 */
export function sharedToFile(shared: BetterSqlite3.Database, tenantSchema: string[], columns: string[], tenantId: string, target: string): void {
  shared.prepare('attach ? as export').run(target);
  try {
    shared.pragma('export.journal_mode = OFF');
    shared.pragma('export.synchronous = OFF');
    const [table, ...indexes] = tenantSchema;
    shared.exec(table.replace(/create table\s+[`"]?items[`"]?/i, 'create table export.items'));
    const list = columns.map((c) => `"${c}"`).join(', ');
    shared.prepare(`insert into export.items (${list}) select ${list} from main.items where tenant_id = ? order by id`).run(tenantId);
    for (const sql of indexes)
      shared.exec(
        sql.replace(
          /create (unique )?index\s+[`"]?(\w+)[`"]?\s+on/i,
          (_m, unique: string | undefined, name: string) => `create ${unique ?? ''}index export.${name} on`,
        ),
      );
  } finally {
    shared.exec('detach export');
  }
}
