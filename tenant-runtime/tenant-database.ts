import BetterSqlite3 from 'better-sqlite3';
import { AttachRefusedError } from '../core/errors/app-errors';
import { SqliteHandle } from '../core/db/sqlite-handle';
import { fsyncFile } from '../core/fs/durable-files';
import { writeOwner } from './tenant-file-owner';

export type { Params, SqlValue } from '../core/db/sqlite-handle';

/** Removes string literals, quoted identifiers and comments so keywords can be checked safely. */
export function stripLiterals(sql: string): string {
  return sql
    .replace(/'(?:[^']|'')*'/g, "''")
    .replace(/"(?:[^"]|"")*"/g, '""')
    .replace(/`[^`]*`/g, '``')
    .replace(/\[[^\]]*\]/g, '[]')
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ');
}

const ATTACH_WORD = /\battach\b/i;

/**
 * better-sqlite3 exposes no authorizer, so ATTACH is refused before a statement is compiled.
 * Every statement is compiled again on each new connection (each router miss), so the literals
 * are stripped only from SQL that has the word at all: stripping puts no letters in and never
 * joins two words, so text without the word cannot have it once stripped.
 */
export function assertNoAttach(sql: string): void {
  if (ATTACH_WORD.test(sql) && ATTACH_WORD.test(stripLiterals(sql))) throw new AttachRefusedError();
}

/**
 * What a tenant connection runs with. busy_timeout first: even switching a file to WAL waits for
 * a lock another process may hold. On a file already in WAL mode every one of them is what this
 * better-sqlite3 build gives a new connection anyway (its `timeout` of 5 s, WAL's NORMAL sync,
 * SQLITE_DEFAULT_FOREIGN_KEYS), so the router's opens skip them (see openTenantFile).
 */
export const TENANT_PRAGMAS = ['busy_timeout = 5000', 'journal_mode = WAL', 'synchronous = NORMAL', 'foreign_keys = ON'];

export function applyTenantPragmas(db: BetterSqlite3.Database): void {
  for (const pragma of TENANT_PRAGMAS) db.pragma(pragma);
}

/**
 * What a tenant file being built in its private temp folder (provisioning, an import, a clone)
 * runs with: a rollback journal in memory and no syncs, so the writes that build it create no
 * `-wal` or `-shm` beside it and sync nothing. Nothing else can open the file, and a process that
 * dies leaves a temp folder the next attempt removes; sealStagedFile makes it a WAL file on the
 * disk before it is renamed into place (docs/decisions/036).
 */
export const STAGING_PRAGMAS = ['busy_timeout = 5000', 'journal_mode = MEMORY', 'synchronous = OFF', 'foreign_keys = ON'];

/** Which pragmas a connection opens with: a tenant's, a staged file's, or none (this build's defaults). */
export type PragmaSet = 'tenant' | 'staging' | 'none';
const PRAGMA_SETS: Record<PragmaSet, readonly string[]> = { tenant: TENANT_PRAGMAS, staging: STAGING_PRAGMAS, none: [] };

/**
 * One open tenant database. Routes reach SQL only through get/all/run (cached, counted
 * prepared statements that refuse ATTACH) and write(); the raw connection stays inside.
 * Opened only through openTenantFile (tenant-runtime/open-tenant-file.ts).
 */
export class TenantDatabase extends SqliteHandle {
  readonly tenantId: string;
  readonly file: string;

  constructor(tenantId: string, file: string, options: { fileMustExist?: boolean; pragmas?: PragmaSet } = {}) {
    const db = new BetterSqlite3(file, { fileMustExist: options.fileMustExist ?? true });
    for (const pragma of PRAGMA_SETS[options.pragmas ?? 'tenant']) db.pragma(pragma);
    super(db);
    this.tenantId = tenantId;
    this.file = file;
  }

  /**
   * Ends a staged file (opened with the `staging` pragmas): the header names its tenant
   * (tenant-file-owner.ts; a clone or an import is named for its new tenant, not its source) and is switched to WAL in a last write,
   * the connection closed (there is no WAL to checkpoint) and the file flushed, once. A copy of
   * it opens in WAL mode like any tenant file.
   */
  sealStagedFile(): void {
    writeOwner(this.db, this.tenantId);
    this.db.pragma('journal_mode = WAL');
    this.close();
    fsyncFile(this.file);
  }

  protected override compile(sql: string): BetterSqlite3.Statement {
    assertNoAttach(sql);
    return super.compile(sql);
  }
}
