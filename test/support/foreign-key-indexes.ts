import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { buildTestTemplate } from './test-template';

interface ForeignKeyRow {
  id: number;
  seq: number;
  table: string;
  from: string;
  to: string;
}

/**
 * Each foreign key of the database whose child columns are not the first columns of an index (or
 * of the primary key) of their table, as "child(columns) -> parent(columns)". Deleting or changing
 * a parent row makes SQLite find the rows pointing at it: without such an index, by reading the
 * whole child table.
 */
export function unindexedForeignKeys(file: string): string[] {
  // Read from a copy: even a read-only connection leaves a -wal and a -shm beside a file in WAL
  // mode, and the shared template is then copied another way by every test that provisions.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-fk-read-'));
  fs.copyFileSync(file, path.join(dir, 'copy.sqlite'));
  const db = new BetterSqlite3(path.join(dir, 'copy.sqlite'), { fileMustExist: true });
  try {
    const tables = db
      .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite\\_%' escape '\\' order by name")
      .pluck()
      .all() as string[];
    const unindexed: string[] = [];
    for (const table of tables) {
      // A partial index holds only some rows: it cannot find every child.
      const indexed = (db.prepare('select name from pragma_index_list(?) where partial = 0').pluck().all(table) as string[]).map(
        (index) => db.prepare('select name from pragma_index_info(?) order by seqno').pluck().all(index) as string[],
      );
      const primaryKey = db.prepare('select name from pragma_table_info(?) where pk > 0 order by pk').pluck().all(table) as string[];
      // An integer primary key is the rowid: it has no entry in the index list.
      indexed.push(primaryKey);
      const keys = new Map<number, ForeignKeyRow[]>();
      for (const row of db.prepare('select * from pragma_foreign_key_list(?)').all(table) as ForeignKeyRow[])
        keys.set(row.id, [...(keys.get(row.id) ?? []), row]);
      for (const rows of keys.values()) {
        const columns = rows.sort((a, b) => a.seq - b.seq).map((r) => r.from);
        if (indexed.some((index) => columns.every((column, i) => index[i] === column))) continue;
        unindexed.push(`${table}(${columns.join(', ')}) -> ${rows[0].table}(${rows.map((r) => r.to).join(', ')})`);
      }
    }
    return unindexed.sort();
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The migrated control plane file and tenant file the tests copy (built once per migration set): never open them, copy them. */
export async function templateDatabases(): Promise<{ platform: string; tenant: string }> {
  const dir = await buildTestTemplate();
  const [tenant] = fs.readdirSync(path.join(dir, 'templates')).filter((f) => f.endsWith('.sqlite'));
  return { platform: path.join(dir, 'platform.sqlite'), tenant: path.join(dir, 'templates', tenant) };
}
