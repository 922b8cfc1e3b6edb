import { TenantBehindError, TenantDamagedError } from '../core/errors/tenant-unavailable-errors';
import type { MigrationSource } from '../core/db/migration-runner';
import { TenantDatabase, applyTenantPragmas } from './tenant-database';
import { tenantPaths, type TenantLocation } from './tenant-paths';
import { hasCurrentStamp, pendingTenantMigrations, recordedTenantVersion } from './tenant-migrator';
import { checkIntegrity, inspectTenantFile, isUnreadableFileError, leaveWalInHeader, schemaProblem, type HeaderFacts } from './tenant-file-check';
import { ownerOf, ownerProblem } from './tenant-file-owner';

/**
 * How a tenant file is opened:
 * - `serve`: the router, for requests. The file must be a sound tenant database at the code's
 *   version; a file behind it is refused instead of being migrated on the request path
 *   (docs/decisions/002).
 * - `migrate`: the fleet migration and maintenance. The file must be a sound tenant database
 *   (its quick check included); its version is not checked.
 * - `create`: provisioning, on a new file in its temp folder (`file` names it), staged: no WAL
 *   until TenantDatabase.sealStagedFile makes it one.
 *
 * A file that is missing, empty, not a database, truncated, another tenant's (its header names
 * another owner: tenant-file-owner.ts), without a tenant schema or failing its quick check is damaged (TenantDamagedError naming the reason): never "behind", never
 * migrated into an empty workspace. It is checked before SQLite opens it, so nothing is written
 * beside a damaged file.
 */
export type OpenMode = 'serve' | 'migrate' | 'create';

export interface OpenOptions {
  /** The tenant track's migrations: required for `serve` (the version check). */
  source?: MigrationSource;
  /** `create` only: the file to create, outside the live tree. */
  file?: string;
  /** `archive`: the tenant's folder was moved out of the live tree (archived tenants). */
  location?: TenantLocation;
}

/** The one way a tenant file is opened, with one kind of failure: TenantNeedsOperatorError (damaged or behind) naming the reason. */
export function openTenantFile(dataDir: string, tenantId: string, mode: OpenMode, options: OpenOptions = {}): TenantDatabase {
  if (mode === 'create') {
    if (!options.file) throw new Error('openTenantFile(create) needs the file to create');
    // Staged: built without a WAL (a copy of the WAL-mode template starts as a rollback file, so
    // opening it creates no -wal or -shm), then sealed as a WAL file before it is renamed into place.
    leaveWalInHeader(options.file);
    return new TenantDatabase(tenantId, options.file, { fileMustExist: false, pragmas: 'staging' });
  }
  if (mode === 'serve' && !options.source) throw new Error('openTenantFile(serve) needs the migration source');
  const { database } = tenantPaths(dataDir, tenantId, options.location);
  const header: HeaderFacts = {};
  const damage = inspectTenantFile(database, header);
  if (damage) throw new TenantDamagedError(damage, { tenantId });
  // The router's open skips the pragmas until the file shows it needs them (below).
  const db = openSound(tenantId, database, mode !== 'serve');
  try {
    const stranger = ownerProblem(header.owner ?? ownerOf(db.connection()), tenantId);
    if (stranger) throw new TenantDamagedError(stranger, { tenantId });
    if (mode === 'serve' && options.source) return checkedToServe(db, options.source, header.stamp);
    const problem = schemaProblem(db.connection()) ?? checkIntegrity(db.connection());
    if (problem) throw new TenantDamagedError(problem, { tenantId });
    return db;
  } catch (error) {
    db.close();
    if (isUnreadableFileError(error)) throw new TenantDamagedError(`the database cannot be read (${(error as Error).message})`, { tenantId }, { cause: error });
    throw error;
  }
}

/**
 * The router's check, on every cache miss (docs/decisions/027). A file stamped with the code's
 * set of migrations (tenant-migrator.ts: hasCurrentStamp) was migrated by this code in WAL mode:
 * the stamp is written in the transaction that records its migrations, so its schema is there,
 * and the connection needs no pragma (each would restate this build's default) and no query on
 * the migrations table; only its schema is read. Any other file takes the full path: the pragmas, the schema, then the set
 * of recorded migrations against the code's (the set, not just the last name: a migration added
 * between two applied ones is pending too).
 */
function checkedToServe(db: TenantDatabase, source: MigrationSource, stampInHeader: number | undefined): TenantDatabase {
  const raw = db.connection();
  if (hasCurrentStamp(raw, source, stampInHeader)) {
    // Reads the schema, as the request's first statement would anyway: a file whose first page
    // is unreadable is damaged here (SQLITE_CORRUPT, turned into TenantDamagedError), not later.
    // Preparing is enough: SQLite reads every page of sqlite_master to compile it, and stepping it
    // would only take one more read transaction for a row nobody reads.
    raw.prepare('select 1 from sqlite_master limit 1');
    return db;
  }
  applyTenantPragmas(raw);
  const problem = schemaProblem(raw);
  if (problem) throw new TenantDamagedError(problem, { tenantId: db.tenantId });
  if (pendingTenantMigrations(raw, source).length === 0) return db;
  // Behind only if the file itself is sound: a damaged file is never sent to be migrated.
  const integrity = checkIntegrity(raw);
  if (integrity) throw new TenantDamagedError(integrity, { tenantId: db.tenantId });
  const version = recordedTenantVersion(raw);
  throw new TenantBehindError(`its database is at ${version ?? 'no version'} and the code expects ${String(source.latest)}: run "tenantry tenants migrate"`, {
    tenantId: db.tenantId,
  });
}

/** Opens a file that passed inspectTenantFile; one SQLite cannot read is damaged. */
function openSound(tenantId: string, database: string, pragmas: boolean): TenantDatabase {
  try {
    return new TenantDatabase(tenantId, database, { pragmas: pragmas ? 'tenant' : 'none' });
  } catch (error) {
    if (isUnreadableFileError(error))
      throw new TenantDamagedError(`the database cannot be opened (${(error as Error).message})`, { tenantId }, { cause: error });
    throw error;
  }
}

/**
 * What is wrong with a tenant's file, or undefined when it is sound: the checks of
 * openTenantFile, with `quick_check` (or `integrity_check` when deep). Its version is not
 * looked at. For the doctor and for a fleet run that wants to know why a tenant failed.
 * `whileSound` reads a sound file before it is closed (the doctor's stored-files check: one open
 * of each file serves both checks).
 */
export function diagnoseTenantFile(
  dataDir: string,
  tenantId: string,
  options: { location?: TenantLocation; deep?: boolean; whileSound?: (db: TenantDatabase) => void } = {},
): string | undefined {
  let db: TenantDatabase;
  try {
    db = openTenantFile(dataDir, tenantId, 'migrate', { location: options.location });
  } catch (error) {
    if (error instanceof TenantDamagedError) return error.reason;
    throw error;
  }
  try {
    const problem = options.deep ? checkIntegrity(db.connection(), true) : undefined;
    if (!problem) options.whileSound?.(db);
    return problem;
  } finally {
    db.close();
  }
}

/** Whether a sound file (one diagnoseTenantFile found nothing wrong with) would be served: it is not behind the code. */
export function servable(db: TenantDatabase, source: MigrationSource): boolean {
  const raw = db.connection();
  return hasCurrentStamp(raw, source) || pendingTenantMigrations(raw, source).length === 0;
}
