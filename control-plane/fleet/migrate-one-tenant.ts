import type { MigrationSource } from '../../core/db/migration-runner';
import { withBusyRetry } from '../../core/db/busy-retry';
import type { TenantDatabase } from '../../tenant-runtime/tenant-database';
import { openTenantFile } from '../../tenant-runtime/open-tenant-file';
import { migrateTenantConnection, pendingTenantMigrations } from '../../tenant-runtime/tenant-migrator';

export interface TenantMigration {
  applied: string[];
  version: string | null;
}

function openExisting(dataDir: string, tenantId: string): TenantDatabase {
  return openTenantFile(dataDir, tenantId, 'migrate');
}

/**
 * Applies one tenant's pending migrations in a single transaction, on its own connection. The
 * transaction takes the write lock up front (BEGIN IMMEDIATE, waiting up to the busy timeout);
 * a tenant still busy after that (another process holding a long write) is tried again after a
 * growing pause before it counts as failed.
 */
export async function migrateOneTenant(dataDir: string, tenantId: string, source: MigrationSource): Promise<TenantMigration> {
  return withBusyRetry(async () => {
    const db = openExisting(dataDir, tenantId);
    try {
      return await migrateTenantConnection(db.connection(), source);
    } finally {
      db.close();
    }
  });
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
