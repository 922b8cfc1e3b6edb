import crypto from 'node:crypto';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { loadMigrationSource, migrateInOneTransaction, type MigrateResult, type MigrationSource } from '../core/db/migration-runner';
import { sqlBuilder } from '../core/db/sql-builder';
import { ownerOf, writeOwner } from './tenant-file-owner';

export const TENANT_MIGRATION_TABLE = 'tenant_migrations';
const DEFAULT_DIR = path.resolve(__dirname, '../tenant-migrations');

/** The tenant track; tests point it at another folder to simulate new or broken migrations. */
export function tenantMigrationSource(dir: string = DEFAULT_DIR): MigrationSource {
  return loadMigrationSource(dir);
}

/**
 * Applies the pending tenant migrations in one transaction on an open connection. One knex
 * (never connected itself) serves every tenant: the transaction runs on the tenant's connection.
 * Given the tenant it belongs to, a file that names no owner yet (made before owners were
 * written: tenant-file-owner.ts) is given one in the same transaction.
 */
export async function migrateTenantConnection(db: BetterSqlite3.Database, source: MigrationSource, tenantId?: string): Promise<MigrateResult> {
  return migrateInOneTransaction(sqlBuilder, source, TENANT_MIGRATION_TABLE, db, {
    afterUp(connection, executed) {
      writeStamp(connection, executed);
      if (tenantId !== undefined && ownerOf(connection) === 0) writeOwner(connection, tenantId);
    },
  });
}

/**
 * A digest of a set of migration names, as a positive 31-bit number: what a tenant file's
 * header keeps in `user_version` once those are exactly the migrations recorded in it.
 */
export function migrationStamp(names: readonly string[]): number {
  const digest = crypto
    .createHash('sha256')
    .update([...names].sort().join('\n'))
    .digest();
  return digest.readUInt32BE(0) >>> 1 || 1;
}

const expectedStamps = new WeakMap<MigrationSource, number>();

/** The stamp of a file that has every migration of the code and no other. */
export function expectedStamp(source: MigrationSource): number {
  let stamp = expectedStamps.get(source);
  if (stamp === undefined) {
    stamp = migrationStamp(source.names);
    expectedStamps.set(source, stamp);
  }
  return stamp;
}

/**
 * Whether the file's header says it has exactly the code's migrations: one number read from
 * page 1, which any open reads anyway, instead of a query on the migrations table. The stamp is
 * written in the transaction that records the migrations (below), so it never claims a set the
 * file does not hold; a file without it (made before stamps, or changed by hand) is simply not
 * known to be current and takes the full comparison (pendingTenantMigrations). `stampInHeader`:
 * the stamp the caller read in the file's header, when it read it (tenant-file-check.ts).
 */
export function hasCurrentStamp(db: BetterSqlite3.Database, source: MigrationSource, stampInHeader?: number): boolean {
  return (stampInHeader ?? fileStamp(db)) === expectedStamp(source);
}

/** The stamp in the file's header (`user_version`). */
function fileStamp(db: BetterSqlite3.Database): unknown {
  return db.pragma('user_version', { simple: true });
}

/** Stamps the file with the set now recorded, unless it already carries that stamp (no write then). */
function writeStamp(db: BetterSqlite3.Database, executed: string[]): void {
  const stamp = migrationStamp(executed);
  if (fileStamp(db) !== stamp) db.pragma(`user_version = ${stamp}`);
}

/** The last migration recorded in the tenant file itself (sync: cheap enough to run on every open). */
export function recordedTenantVersion(db: BetterSqlite3.Database): string | null {
  const table = db.prepare("select 1 from sqlite_master where type = 'table' and name = ?").get(TENANT_MIGRATION_TABLE);
  if (!table) return null;
  const row = db.prepare(`select max(name) as name from ${TENANT_MIGRATION_TABLE}`).get() as { name: string | null };
  return row.name;
}

/** Every migration recorded in the tenant file, in name order (none for a file without the table). */
export function recordedTenantMigrations(db: BetterSqlite3.Database): string[] {
  const table = db.prepare("select 1 from sqlite_master where type = 'table' and name = ?").get(TENANT_MIGRATION_TABLE);
  if (!table) return [];
  return (db.prepare(`select name from ${TENANT_MIGRATION_TABLE} order by name`).all() as Array<{ name: string }>).map((r) => r.name);
}

export function pendingTenantMigrations(db: BetterSqlite3.Database, source: MigrationSource): string[] {
  const table = db.prepare("select 1 from sqlite_master where type = 'table' and name = ?").get(TENANT_MIGRATION_TABLE);
  if (!table) return [...source.names];
  const done = new Set((db.prepare(`select name from ${TENANT_MIGRATION_TABLE}`).all() as Array<{ name: string }>).map((r) => r.name));
  return source.names.filter((n) => !done.has(n));
}
