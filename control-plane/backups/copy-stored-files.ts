import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { copyFileDurably } from '../../core/fs/durable-files';
import { STORED_FILE_NAME } from '../../tenant-runtime/tenant-paths';
import type { FileEntry } from './backup-manifest';

/**
 * Copies a tenant's stored files (generated names only: upload temp files, stray and linked
 * entries are left out) and returns their entries with the sha256 of each copy. Stored files are
 * never changed in place (a new upload gets a new name), so a copy of one is always whole.
 */
export function copyStoredFiles(fromDir: string, toDir: string): FileEntry[] {
  fs.mkdirSync(toDir, { recursive: true });
  let names: string[];
  try {
    names = fs.readdirSync(fromDir).filter((name) => STORED_FILE_NAME.test(name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const entries: FileEntry[] = [];
  for (const name of names.sort()) {
    const source = path.join(fromDir, name);
    const stat = fs.lstatSync(source, { throwIfNoEntry: false });
    if (!stat?.isFile()) continue;
    try {
      const digest = copyFileDurably(source, path.join(toDir, name));
      entries.push({ path: `files/${name}`, ...digest });
    } catch (error) {
      // Deleted between the listing and the copy: a file the database no longer refers to.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return entries;
}

/**
 * The stored files a tenant database refers to: attachments and the logo. This reads the
 * workspace's tables (attachments.stored_name, the `logo` setting's `file`) by name; the backup
 * tests hold it to the workspace's real uploads.
 */
export function referencedFiles(databaseFile: string): string[] {
  const db = new BetterSqlite3(databaseFile, { readonly: true, fileMustExist: true });
  try {
    db.pragma('trusted_schema = OFF');
    const has = (table: string) => Boolean(db.prepare("select 1 from sqlite_master where type = 'table' and name = ?").get(table));
    const names = new Set<string>();
    if (has('attachments'))
      for (const row of db.prepare('select stored_name from attachments').all() as Array<{ stored_name: string }>) names.add(row.stored_name);
    if (has('settings')) {
      const logo = db.prepare("select json_extract(value, '$.file') as file from settings where key = 'logo' and json_valid(value)").get() as
        { file: unknown } | undefined;
      if (typeof logo?.file === 'string') names.add(logo.file);
    }
    return [...names].sort();
  } finally {
    db.close();
  }
}
