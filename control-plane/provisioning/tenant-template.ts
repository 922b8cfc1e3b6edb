import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import BetterSqlite3 from 'better-sqlite3';
import type { MigrationSource } from '../../core/db/migration-runner';
import { migrateTenantConnection, recordedTenantVersion } from '../../tenant-runtime/tenant-migrator';
import { pausePoint } from '../../core/process/pause-point';

/** Temp files of templates being built (a crash may leave one behind; the doctor removes it). */
export const TEMPLATE_TEMP_PREFIX = '.building-';

export function templatesDir(dataDir: string): string {
  return path.join(dataDir, 'templates');
}

export function templateFile(dataDir: string, source: MigrationSource): string {
  return path.join(templatesDir(dataDir), `tenant-${source.fingerprint}.sqlite`);
}

const building = new Map<string, Promise<string>>();

/**
 * A fully migrated, empty tenant database, named after the fingerprint of the tenant
 * migrations: when a migration is added or edited the name changes and a new template is
 * built on first use (older templates are removed). It is built in a temp file and renamed
 * into place, so a half-built template is never used.
 */
export function ensureTemplate(dataDir: string, source: MigrationSource): Promise<string> {
  const file = templateFile(dataDir, source);
  if (fs.existsSync(file)) return Promise.resolve(file);
  let pending = building.get(file);
  if (!pending) {
    pending = buildTemplate(dataDir, source, file).finally(() => building.delete(file));
    building.set(file, pending);
  }
  return pending;
}

async function buildTemplate(dataDir: string, source: MigrationSource, file: string): Promise<string> {
  const dir = templatesDir(dataDir);
  fs.mkdirSync(dir, { recursive: true });
  const temp = path.join(dir, `${TEMPLATE_TEMP_PREFIX}${crypto.randomBytes(6).toString('hex')}.sqlite`);
  const db = new BetterSqlite3(temp);
  try {
    await migrateTenantConnection(db, source);
    if (recordedTenantVersion(db) !== source.latest) throw new Error('template did not reach the latest tenant migration');
    // WAL mode is kept in the file header, so copies open in WAL without a conversion; the
    // checkpoint leaves every page in the main file and close() removes the -wal file.
    db.pragma('journal_mode = WAL');
    db.pragma('wal_checkpoint(TRUNCATE)');
  } catch (error) {
    db.close();
    fs.rmSync(temp, { force: true });
    throw error;
  }
  db.close();
  pausePoint('template:built');
  fs.renameSync(temp, file);
  for (const old of fs.readdirSync(dir)) {
    if (old.startsWith('tenant-') && path.join(dir, old) !== file) fs.rmSync(path.join(dir, old), { force: true });
  }
  return file;
}

/**
 * Copies the template into a new tenant file. The template is written once, checkpointed and
 * closed before it is renamed into place, and never opened for writing again, so while no
 * -wal file sits beside it the main file alone is the whole, consistent database and a file
 * copy is safe (docs/decisions/007). If a -wal file exists (someone opened the template),
 * SQLite's own VACUUM INTO makes the copy through a read transaction instead.
 */
export function copyTemplate(template: string, target: string): void {
  if (!fs.existsSync(`${template}-wal`)) {
    fs.copyFileSync(template, target, fs.constants.COPYFILE_EXCL);
    return;
  }
  const db = new BetterSqlite3(template, { readonly: true, fileMustExist: true });
  try {
    // No fsync here: closing the new file after seeding checkpoints it with a sync before it is renamed into place.
    db.pragma('synchronous = OFF');
    db.prepare('VACUUM INTO ?').run(target);
  } finally {
    db.close();
  }
}
