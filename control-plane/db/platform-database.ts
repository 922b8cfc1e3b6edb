import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { makeDirectory } from '../../core/fs/make-directory';
import { SqliteHandle } from '../../core/db/sqlite-handle';
import { sqlBuilder } from '../../core/db/sql-builder';
import { loadMigrationSource, migrateInOneTransaction, type MigrateResult } from '../../core/db/migration-runner';
import { isBusyError, withBusyRetry, withBusyRetrySync } from '../../core/db/busy-retry';
import { refuseLostControlPlane, refuseUnwritableControlPlane, unreadableControlPlane } from './control-plane-file-check';

export const PLATFORM_MIGRATIONS_DIR = path.resolve(__dirname, '../../platform-migrations');
const PLATFORM_MIGRATION_TABLE = 'platform_migrations';

/** What one read of the control plane found: readable, held by another process's lock, or failing. */
export type ControlPlaneProbe = { ok: true } | { ok: false; reason: 'control_plane_locked' | 'control_plane_unreadable'; error: unknown };

/** How long the probe waits for a lock another process holds: a health check answers quickly. */
const PROBE_WAIT_MS = 250;
/** How long a request waits for a lock another process holds. */
const BUSY_WAIT_MS = 5000;

/**
 * data/platform.sqlite, mirroring TenantDatabase: one synchronous connection with cached,
 * counted prepared statements, and write() for writes that belong together (BEGIN IMMEDIATE).
 * SQLite serialises writers anyway; one connection keeps every request path synchronous.
 * Knex is kept for migrations and to compile dynamic queries (allOf/getOf).
 */
export class PlatformDatabase extends SqliteHandle {
  readonly file: string;

  constructor(file: string) {
    const db = new BetterSqlite3(file);
    // First: switching a new file to WAL takes a lock another process starting beside this one may
    // hold, and SQLite may refuse it at once rather than wait (a possible deadlock): try again.
    db.pragma(`busy_timeout = ${BUSY_WAIT_MS}`);
    withBusyRetrySync(() => db.pragma('journal_mode = WAL'));
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    super(db);
    // The console's searches (tenants, users) fold names in every script, not ASCII only.
    this.useSearchFold();
    this.file = file;
  }

  /**
   * Changes whenever another connection (in this process or another) commits to the file; this
   * connection's own writes leave it as it is. A check, not a query of the data: not counted.
   */
  dataVersion(): number {
    return this.readDataVersion.get() as number;
  }

  private readonly readDataVersion = this.db.prepare('pragma data_version').pluck();

  /**
   * One cheap read of a real table (from the page cache while nobody changed the file), for
   * /healthz: it fails as every request's session lookup would, when the file is damaged or
   * cannot be read, or another process holds it locked. It waits a quarter of a second for a
   * lock, not the five seconds requests wait, and never throws.
   */
  probe(): ControlPlaneProbe {
    this.db.pragma(`busy_timeout = ${PROBE_WAIT_MS}`);
    try {
      this.get('select 1 from tenants limit 1');
      return { ok: true };
    } catch (error) {
      return { ok: false, reason: isBusyError(error) ? 'control_plane_locked' : 'control_plane_unreadable', error };
    } finally {
      this.db.pragma(`busy_timeout = ${BUSY_WAIT_MS}`);
    }
  }
}

/**
 * Opens DATA_DIR/platform.sqlite, made on a first run. A control plane that was lost (missing or
 * empty beside tenant folders), that this user may not write, or that SQLite cannot read is
 * refused with a StartupError saying what to do, never replaced by a new one.
 */
export function openPlatformDatabase(dataDir: string): PlatformDatabase {
  makeDirectory(dataDir);
  const file = path.join(dataDir, 'platform.sqlite');
  refuseLostControlPlane(dataDir, file);
  refuseUnwritableControlPlane(file);
  try {
    return new PlatformDatabase(file);
  } catch (error) {
    throw unreadableControlPlane(file, error) ?? error;
  }
}

/**
 * Applies the platform track's pending migrations in one transaction on the platform connection
 * (BEGIN IMMEDIATE: a second process starting at the same time waits, then finds nothing to do).
 */
export async function migratePlatform(db: PlatformDatabase): Promise<MigrateResult> {
  try {
    return await withBusyRetry(() =>
      migrateInOneTransaction(sqlBuilder, loadMigrationSource(PLATFORM_MIGRATIONS_DIR), PLATFORM_MIGRATION_TABLE, db.connection()),
    );
  } catch (error) {
    throw unreadableControlPlane(db.file, error) ?? error;
  }
}
