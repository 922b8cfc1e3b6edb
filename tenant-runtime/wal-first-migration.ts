import fs from 'node:fs';
import path from 'node:path';
import type { MigrateResult, MigrationSource } from '../core/db/migration-runner';
import { fsyncDir, fsyncFile } from '../core/fs/durable-files';
import { pausePoint } from '../core/ops/pause-point';
import type { TenantDatabase } from './tenant-database';
import { migrateTenantConnection } from './tenant-migrator';

/**
 * Applies a tenant file's pending migrations "WAL first" (docs/decisions/026): the transaction
 * commits into the WAL with `synchronous = OFF` and automatic checkpoints off, so SQLite syncs
 * nothing and cannot copy an unsynced WAL into the main file; then the WAL and its folder are
 * flushed, which makes the migration durable before the main file is touched. The connection goes
 * back to NORMAL before anything else runs on it: the checkpoint that close() runs (when it is the
 * last connection) syncs the WAL (nothing left to write), copies it into the main file and syncs
 * that, as SQLite always does. Three flushes that write instead of four; the caller records the
 * new version only after this returns, so a record never runs ahead of the file.
 *
 * The WAL is flushed through a descriptor of our own: SQLite holds no POSIX lock on the `-wal`
 * file, so closing that descriptor releases nothing (unlike one on the main file).
 */
export async function migrateWalFirst(handle: TenantDatabase, source: MigrationSource): Promise<MigrateResult> {
  const db = handle.connection();
  db.pragma('wal_autocheckpoint = 0');
  db.pragma('synchronous = OFF');
  let result: MigrateResult;
  try {
    result = await migrateTenantConnection(db, source);
  } finally {
    db.pragma('synchronous = NORMAL');
    db.pragma('wal_autocheckpoint = 1000');
  }
  pausePoint('migrate:committed');
  const wal = `${handle.file}-wal`;
  // An empty WAL holds nothing to flush: nothing was applied and the stamp was already right.
  if (walSize(wal) > 0) {
    fsyncFile(wal);
    fsyncDir(path.dirname(handle.file));
  }
  pausePoint('migrate:durable');
  return result;
}

function walSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}
