import fs from 'node:fs';
import { TenantUnavailableError } from '../core/errors/app-errors';
import type { MigrationSource } from '../core/db/migration-runner';
import { TenantDatabase, applyTenantPragmas } from './tenant-database';
import { tenantPaths } from './tenant-paths';
import { hasCurrentStamp, pendingTenantMigrations, recordedTenantVersion } from './tenant-migrator';

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
  if (mode === 'migrate') return openOrMissing(tenantId, database, true);
  if (!options.source) throw new Error('openTenantFile(serve) needs the migration source');
  return openToServe(tenantId, database, options.source);
}

/**
 * The router's open, on every cache miss (docs/decisions/027). A file stamped with the code's
 * set of migrations (tenant-migrator.ts: hasCurrentStamp) was migrated by this code in WAL mode,
 * so the connection needs no pragma (each would restate this build's default) and no query on the
 * migrations table. Any other file takes the full path: the pragmas, then the set of recorded
 * migrations against the code's (the set, not just the last name: a migration added between two
 * applied ones is pending too).
 */
function openToServe(tenantId: string, database: string, source: MigrationSource): TenantDatabase {
  const db = openOrMissing(tenantId, database, false);
  try {
    const raw = db.connection();
    if (hasCurrentStamp(raw, source)) return db;
    applyTenantPragmas(raw);
    if (pendingTenantMigrations(raw, source).length === 0) return db;
    const version = recordedTenantVersion(raw);
    throw new TenantUnavailableError(
      `This workspace is being upgraded (database at ${version ?? 'no version'}, code expects ${source.latest}). Run "tenantry tenants migrate".`,
      { tenantId, reason: 'behind' },
    );
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Opens an existing file; one that is not there is reported as missing (asked only when the open fails). */
function openOrMissing(tenantId: string, database: string, pragmas: boolean): TenantDatabase {
  try {
    return new TenantDatabase(tenantId, database, { pragmas });
  } catch (error) {
    if (!fs.existsSync(database)) throw new TenantUnavailableError('The workspace database is missing.', { tenantId, reason: 'missing' });
    throw error;
  }
}
