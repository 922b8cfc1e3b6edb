import { msg } from '../core/i18n/message';
import fs from 'node:fs';
import { TenantUnavailableError } from '../core/errors/app-errors';
import type { MigrationSource } from '../core/db/migration-runner';
import { TenantDatabase } from './tenant-database';
import { tenantPaths } from './tenant-paths';
import { pendingTenantMigrations, recordedTenantVersion } from './tenant-migrator';

/**
 * How a tenant file is opened:
 * - `serve`: the router, for requests. The file must exist and be at the code's version; a file
 *   behind it is refused instead of being migrated on the request path (docs/decisions/002).
 * - `migrate`: the fleet migration and maintenance. The file must exist; its version is not checked.
 * - `create`: provisioning, on a new file in its temp folder (`file` names it).
 */
export type OpenMode = 'serve' | 'migrate' | 'create';

export interface OpenOptions {
  /** The tenant track's migrations: required for `serve` (the version check). */
  source?: MigrationSource;
  /** `create` only: the file to create, outside the live tree. */
  file?: string;
}

/** The one way a tenant file is opened, with one kind of failure: TenantUnavailableError naming the reason. */
export function openTenantFile(dataDir: string, tenantId: string, mode: OpenMode, options: OpenOptions = {}): TenantDatabase {
  if (mode === 'create') {
    if (!options.file) throw new Error('openTenantFile(create) needs the file to create');
    return new TenantDatabase(tenantId, options.file, { fileMustExist: false });
  }
  const { database } = tenantPaths(dataDir, tenantId);
  if (!fs.existsSync(database)) throw new TenantUnavailableError(msg('The workspace database is missing.'), { tenantId, reason: 'missing' });
  const db = new TenantDatabase(tenantId, database);
  if (mode === 'migrate') return db;
  if (!options.source) {
    db.close();
    throw new Error('openTenantFile(serve) needs the migration source');
  }
  // The set, not just the last name: a migration added between two applied ones is pending too.
  if (pendingTenantMigrations(db.connection(), options.source).length > 0) {
    const version = recordedTenantVersion(db.connection());
    db.close();
    throw new TenantUnavailableError(
      `This workspace is being upgraded (database at ${version ?? 'no version'}, code expects ${options.source.latest}). Run "tenantry tenants migrate".`,
      { tenantId, reason: 'behind' },
    );
  }
  return db;
}
