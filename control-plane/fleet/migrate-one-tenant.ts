import type { MigrationSource } from '../../core/db/migration-runner';
import { withBusyRetry } from '../../core/db/busy-retry';
import type { TenantDatabase } from '../../tenant-runtime/tenant-database';
import { openTenantFile } from '../../tenant-runtime/open-tenant-file';
import { pendingTenantMigrations } from '../../tenant-runtime/tenant-migrator';
import { commitWalFirst, flushCommitted } from '../../tenant-runtime/wal-first-migration';

export interface TenantMigration {
  applied: string[];
  version: string | null;
}

/** One tenant of a batch: its migration, durable, or why it failed (the others are not affected). */
export type BatchEntry = { tenantId: string; ok: true; result: TenantMigration } | { tenantId: string; ok: false; error: Error };

/** Tenants a lane migrates before their WALs are flushed together (each holds an open connection meanwhile: 3 descriptors). */
export const FLUSH_BATCH = 32;

function openExisting(dataDir: string, tenantId: string): TenantDatabase {
  return openTenantFile(dataDir, tenantId, 'migrate');
}

/**
 * Applies the pending migrations of several tenants, each in a single transaction on its own
 * connection, WAL first (tenant-runtime/wal-first-migration.ts): every tenant commits into its WAL
 * unsynced, then the batch's WALs and folders are flushed together (docs/decisions/034), then the
 * connections close (each close checkpoints with SQLite's own flushes). When this returns, every
 * entry marked ok is durable and its version may be recorded. Each transaction takes the write
 * lock up front (BEGIN IMMEDIATE, waiting up to the busy timeout); a tenant still busy after that
 * (another process holding a long write) is tried again after a growing pause before it counts as
 * failed. A tenant that fails leaves the others of the batch going; a failed flush fails them all.
 */
export async function migrateTenantBatch(dataDir: string, tenantIds: string[], source: MigrationSource): Promise<BatchEntry[]> {
  const entries = new Map<string, BatchEntry>();
  const committed: Array<{ tenantId: string; db: TenantDatabase; result: TenantMigration }> = [];
  try {
    for (const tenantId of tenantIds) {
      try {
        committed.push(
          await withBusyRetry(async () => {
            const db = openExisting(dataDir, tenantId);
            try {
              return { tenantId, db, result: await commitWalFirst(db, source) };
            } catch (error) {
              db.close();
              throw error;
            }
          }),
        );
      } catch (error) {
        entries.set(tenantId, { tenantId, ok: false, error: asError(error) });
      }
    }
    try {
      await flushCommitted(committed.map((c) => c.db));
      for (const { tenantId, result } of committed) entries.set(tenantId, { tenantId, ok: true, result });
    } catch (error) {
      for (const { tenantId } of committed) entries.set(tenantId, { tenantId, ok: false, error: asError(error) });
    }
  } finally {
    for (const { db } of committed) db.close();
  }
  return tenantIds.map((id) => entries.get(id)!);
}

/** One tenant's migration (a batch of one): when this returns it is durable and the version may be recorded. */
export async function migrateOneTenant(dataDir: string, tenantId: string, source: MigrationSource): Promise<TenantMigration> {
  const [entry] = await migrateTenantBatch(dataDir, [tenantId], source);
  if (!entry.ok) throw entry.error;
  return entry.result;
}

/** What a migration would apply to one tenant, without changing anything. */
export function pendingForTenant(dataDir: string, tenantId: string, source: MigrationSource): string[] {
  const db = openExisting(dataDir, tenantId);
  try {
    return pendingTenantMigrations(db.connection(), source);
  } finally {
    db.close();
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
