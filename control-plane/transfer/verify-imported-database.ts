import fs from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import type { MigrationSource } from '../../core/db/migration-runner';
import { ImportRefusedError } from '../../core/errors/app-errors';
import { printable } from '../../core/cli/cli-io';
import { TENANT_MIGRATION_TABLE, recordedTenantMigrations } from '../../tenant-runtime/tenant-migrator';
import { SQLITE_HEADER_LENGTH, isSqliteHeader } from '../../tenant-runtime/tenant-file-check';
import { referenceSchema, schemaOf, type SchemaObject } from './reference-schema';
import { ITEM_STATUSES } from '../../tenant-runtime/item-status-catalogue';

/** The first bytes of a file, at most `length` of them. */
export function headOf(file: string, length = SQLITE_HEADER_LENGTH): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(length);
    return head.subarray(0, fs.readSync(fd, head, 0, length, 0));
  } finally {
    fs.closeSync(fd);
  }
}

function looksLikeSqlite(file: string): boolean {
  return isSqliteHeader(headOf(file));
}

const label = (o: SchemaObject) => `${o.type} "${printable(o.name).slice(0, 100)}"`;

/**
 * Checks a database offered for import, as untrusted input, before anything of it is used. It is
 * opened read-only with trusted_schema off, so nothing in its schema runs. Its schema must be
 * exactly what the code's migrations make for the migrations it records (no extra table, view,
 * trigger or index, none missing, none altered), then integrity_check and foreign_key_check must
 * pass, every value must be of a kind (and a `varchar(n)` of a length) its column declares, and
 * every item of a status the code knows.
 * Returns the migrations it records. Throws ImportRefusedError naming the first problem.
 */
export async function verifyImportedDatabase(file: string, source: MigrationSource): Promise<string[]> {
  if (!looksLikeSqlite(file)) throw new ImportRefusedError('tenant.sqlite is not a SQLite database');
  let db: BetterSqlite3.Database | undefined;
  try {
    db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
    db.pragma('trusted_schema = OFF');
    let schema: SchemaObject[];
    try {
      schema = schemaOf(db);
    } catch (error) {
      throw new ImportRefusedError(`the database cannot be read (${printable((error as Error).message).slice(0, 200)})`);
    }
    if (!schema.some((o) => o.type === 'table' && o.name === TENANT_MIGRATION_TABLE)) {
      throw new ImportRefusedError(`the database has no ${TENANT_MIGRATION_TABLE} table: it is not a Tenantry tenant database`);
    }
    const migrations = recordedTenantMigrations(db);
    const unknown = migrations.filter((name) => !source.names.includes(name));
    if (unknown.length)
      throw new ImportRefusedError(`the database records migrations this version of Tenantry does not have (${namesOf(unknown)}): upgrade first`);
    compareSchemas(schema, await referenceSchema(source, migrations));
    const problems = (db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check);
    if (problems.length !== 1 || problems[0] !== 'ok')
      throw new ImportRefusedError(`the database is damaged (integrity_check: ${printable(problems.slice(0, 3).join('; ')).slice(0, 300)})`);
    const broken = db.pragma('foreign_key_check') as unknown[];
    if (broken.length) throw new ImportRefusedError(`the database has ${broken.length} row(s) whose references point nowhere (foreign_key_check)`);
    checkColumnValues(db, schema);
    checkItemStatuses(db);
    return migrations;
  } catch (error) {
    if (error instanceof ImportRefusedError) throw error;
    throw new ImportRefusedError(`the database cannot be read (${printable((error as Error).message).slice(0, 200)})`, { cause: error });
  } finally {
    db?.close();
  }
}

/** Up to five names from a file, each cut short and made printable: a refusal stays one short line. */
export function namesOf(names: string[]): string {
  return names
    .slice(0, 5)
    .map((name) => printable(name).slice(0, 80))
    .join(', ')
    .concat(names.length > 5 ? `, and ${names.length - 5} more` : '');
}

/**
 * What SQLite lets a column of each declared type hold (its affinity's rules: a value that does
 * not convert keeps its own class). The schema is the migrations' own, but a file can be written
 * with any value in any column, and the pages trust the classes (a blob where a title's text
 * belongs fails every page that lists it).
 */
function allowedClasses(declared: string): string[] | undefined {
  const type = declared.toUpperCase();
  if (type.includes('INT')) return ['integer', 'real', 'null'];
  if (/CHAR|CLOB|TEXT/.test(type)) return ['text', 'null'];
  if (type === '' || type.includes('BLOB')) return undefined;
  if (/REAL|FLOA|DOUB/.test(type)) return ['real', 'integer', 'null'];
  return ['integer', 'real', 'text', 'null'];
}

/** The n of a `varchar(n)` column, the most characters its values may hold; undefined for any other type. */
function declaredLength(declared: string): number | undefined {
  const match = /^varchar\((\d+)\)$/i.exec(declared.trim());
  return match ? Number(match[1]) : undefined;
}

interface ColumnCheck {
  column: string;
  /** SQL that is true for a value the column must not hold. */
  test: string;
  problem: string;
}

/**
 * Refuses a row whose value is of a class its column's declared type cannot hold, or longer than
 * its `varchar(n)` column declares (SQLite never enforces n, and the app's own writers keep to it:
 * a 20 MB title would weigh on every page that lists it), naming the column. One query per table,
 * which finds the first column at fault. length() counts characters but stops at a NUL character
 * (and reads bytes that are not UTF-8 as fewer characters than a reader makes of them), so a value
 * is also held to 4n bytes, the most n characters take in UTF-8: no value can grow past that.
 */
function checkColumnValues(db: BetterSqlite3.Database, schema: SchemaObject[]): void {
  const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
  for (const table of schema.filter((o) => o.type === 'table' && !o.name.startsWith('sqlite_'))) {
    const columns = db.pragma(`table_info(${quote(table.name)})`) as Array<{ name: string; type: string }>;
    const kinds: ColumnCheck[] = columns.flatMap((c) => {
      const allowed = allowedClasses(c.type);
      if (!allowed) return [];
      const test = `typeof(${quote(c.name)}) not in (${allowed.map((a) => `'${a}'`).join(', ')})`;
      return [{ column: c.name, test, problem: 'holds a value of a kind its column cannot hold' }];
    });
    const lengths: ColumnCheck[] = columns.flatMap((c) => {
      const max = declaredLength(c.type);
      if (max === undefined) return [];
      const test = `length(${quote(c.name)}) > ${max} or length(cast(${quote(c.name)} as blob)) > ${4 * max}`;
      return [{ column: c.name, test, problem: `holds a value longer than the ${max} characters its column declares` }];
    });
    // Kinds first: the length of a value of the wrong kind means nothing.
    const checks = [...kinds, ...lengths];
    if (!checks.length) continue;
    const firstBad = `case ${checks.map((c, i) => `when ${c.test} then ${i}`).join(' ')} end`;
    const bad = db
      .prepare(`select ${firstBad} as i from ${quote(table.name)} where ${checks.map((c) => `(${c.test})`).join(' or ')} limit 1`)
      .pluck()
      .get() as number | undefined;
    if (bad !== undefined) throw new ImportRefusedError(`the database's ${printable(table.name)}.${printable(checks[bad].column)} ${checks[bad].problem}`);
  }
}

/**
 * Refuses an item of a status the code does not know: the schema lets `items.status` hold any
 * text of 20 characters, but no workflow step leads out of such a status and no page has a label
 * or a count for it. Checked only where the file's migrations gave items a status.
 */
function checkItemStatuses(db: BetterSqlite3.Database): void {
  const columns = db.pragma('table_info(items)') as Array<{ name: string }>;
  if (!columns.some((c) => c.name === 'status')) return;
  const unknown = db
    .prepare('select status from items where status not in (select value from json_each(?)) limit 1')
    .pluck()
    .get(JSON.stringify(ITEM_STATUSES)) as string | undefined;
  if (unknown !== undefined)
    throw new ImportRefusedError(`the database's items.status holds a status Tenantry does not know ("${printable(String(unknown)).slice(0, 20)}")`);
}

function compareSchemas(found: SchemaObject[], expected: SchemaObject[]): void {
  const key = (o: SchemaObject) => `${o.type}:${o.name}`;
  const wanted = new Map(expected.map((o) => [key(o), o]));
  const present = new Map(found.map((o) => [key(o), o]));
  for (const object of found) {
    const reference = wanted.get(key(object));
    if (!reference) throw new ImportRefusedError(`the database has a ${label(object)} that no Tenantry migration creates`);
    if (reference.sql !== object.sql || reference.table !== object.table)
      throw new ImportRefusedError(`the database's ${label(object)} differs from what the migrations create`);
  }
  for (const object of expected) if (!present.has(key(object))) throw new ImportRefusedError(`the database lacks the ${label(object)} its migrations create`);
}
