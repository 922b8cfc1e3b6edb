import fs from 'node:fs';
import type { MigrationSource } from '../../core/db/migration-runner';
import { TenantDatabase } from '../../tenant-runtime/tenant-database';
import { tenantPaths } from '../../tenant-runtime/tenant-paths';
import { migrateTenantConnection, pendingTenantMigrations } from '../../tenant-runtime/tenant-migrator';

export interface TenantMigration {
  applied: string[];
  version: string | null;
}

function openExisting(dataDir: string, tenantId: string): TenantDatabase {
  const { database } = tenantPaths(dataDir, tenantId);
  if (!fs.existsSync(database)) throw new Error('tenant database file is missing');
  return new TenantDatabase(tenantId, database);
}

/** Applies one tenant's pending migrations in a single transaction, on its own connection. */
export async function migrateOneTenant(dataDir: string, tenantId: string, source: MigrationSource): Promise<TenantMigration> {
  const db = openExisting(dataDir, tenantId);
  try {
    return await migrateTenantConnection(db.connection(), source);
  } finally {
    db.close();
  }
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
