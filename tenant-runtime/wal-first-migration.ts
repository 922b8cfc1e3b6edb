import fs from 'node:fs';
import path from 'node:path';
import type { MigrateResult, MigrationSource } from '../core/db/migration-runner';
import { flushTogether } from '../core/fs/durable-files';
import { pausePoint } from '../core/process/pause-point';
import type { TenantDatabase } from './tenant-database';
import { migrateTenantConnection } from './tenant-migrator';

/**
 * Applies a tenant file's pending migrations "WAL first" (docs/decisions/026), first half: the
 * transaction commits into the WAL with `synchronous = OFF` and automatic checkpoints off, so
 * SQLite syncs nothing and cannot copy an unsynced WAL into the main file. The connection goes
 * back to NORMAL before anything else runs on it, whether the migration succeeded or not.
 * Nothing is durable yet: `flushCommitted` makes it so, for one tenant or a batch.
 */
export async function commitWalFirst(handle: TenantDatabase, source: MigrationSource): Promise<MigrateResult> {
  const db = handle.connection();
  db.pragma('wal_autocheckpoint = 0');
  db.pragma('synchronous = OFF');
  try {
    return await migrateTenantConnection(db, source, handle.tenantId);
  } finally {
    db.pragma('synchronous = NORMAL');
    db.pragma('wal_autocheckpoint = 1000');
  }
}

/**
 * Second half, for a batch of tenants committed by `commitWalFirst` and still open: their WALs
 * and folders are flushed together (docs/decisions/034: the flushes of a batch overlap instead of
 * queueing one behind the other), which makes every migration of the batch durable before any
 * main file is touched. The caller records the versions only after this returns, so a record
 * never runs ahead of its file; each handle's close() then checkpoints as SQLite always does under
 * NORMAL (it syncs the WAL, copies it into the main file and syncs that).
 *
 * The WALs are flushed through descriptors of our own: SQLite holds no POSIX lock on a `-wal`
 * file, so closing such a descriptor releases nothing (unlike one on the main file).
 */
export async function flushCommitted(handles: TenantDatabase[]): Promise<void> {
  pausePoint('migrate:committed');
  // An empty WAL holds nothing to flush: nothing was applied and the stamp was already right.
  const written = handles.filter((h) => walSize(`${h.file}-wal`) > 0);
  if (written.length > 0) {
    await flushTogether(
      written.map((h) => `${h.file}-wal`),
      [...new Set(written.map((h) => path.dirname(h.file)))],
    );
  }
  pausePoint('migrate:durable');
}

/** Both halves for one tenant: when this returns the migration is durable. */
export async function migrateWalFirst(handle: TenantDatabase, source: MigrationSource): Promise<MigrateResult> {
  const result = await commitWalFirst(handle, source);
  await flushCommitted([handle]);
  return result;
}

function walSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}
