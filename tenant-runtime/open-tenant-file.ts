import fs from 'node:fs';
import { TenantUnavailableError } from '../core/errors/app-errors';
import type { MigrationSource } from '../core/db/migration-runner';
import { TenantDatabase } from './tenant-database';
import { tenantPaths } from './tenant-paths';
import { pendingTenantMigrations, recordedTenantVersion } from './tenant-migrator';

/**
 * Opens a tenant file for the router. A file behind the code's migrations is refused with a
 * clear error instead of being migrated on the request path (docs/decisions/002).
 */
export function openTenantDatabase(dataDir: string, tenantId: string, source: MigrationSource): TenantDatabase {
  const { database } = tenantPaths(dataDir, tenantId);
  if (!fs.existsSync(database)) throw new TenantUnavailableError('The workspace database is missing.', { tenantId });
  const db = new TenantDatabase(tenantId, database);
  // The set, not just the last name: a migration added between two applied ones is pending too.
  if (pendingTenantMigrations(db.connection(), source).length > 0) {
    const version = recordedTenantVersion(db.connection());
    db.close();
    throw new TenantUnavailableError(
      `This workspace is being upgraded (database at ${version ?? 'no version'}, code expects ${source.latest}). Run "tenantry tenants migrate".`,
      { tenantId },
    );
  }
  return db;
}
