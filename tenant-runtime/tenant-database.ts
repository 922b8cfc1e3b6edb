import BetterSqlite3 from 'better-sqlite3';
import { AttachRefusedError } from '../core/errors/app-errors';
import { SqliteHandle } from '../core/db/sqlite-handle';

export type { Params, SqlValue } from '../core/db/sqlite-handle';

/** Removes string literals, quoted identifiers and comments so keywords can be checked safely. */
function stripLiterals(sql: string): string {
  return sql
    .replace(/'(?:[^']|'')*'/g, "''")
    .replace(/"(?:[^"]|"")*"/g, '""')
    .replace(/`[^`]*`/g, '``')
    .replace(/\[[^\]]*\]/g, '[]')
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ');
}

/** better-sqlite3 exposes no authorizer, so ATTACH is refused before a statement is compiled. */
export function assertNoAttach(sql: string): void {
  if (/\battach\b/i.test(stripLiterals(sql))) throw new AttachRefusedError();
}

/** busy_timeout first: even switching a file to WAL waits for a lock another process may hold. */
export const TENANT_PRAGMAS = ['busy_timeout = 5000', 'journal_mode = WAL', 'synchronous = NORMAL', 'foreign_keys = ON'];

export function applyTenantPragmas(db: BetterSqlite3.Database): void {
  for (const pragma of TENANT_PRAGMAS) db.pragma(pragma);
}

/**
 * One open tenant database. Routes reach SQL only through get/all/run (cached, counted
 * prepared statements that refuse ATTACH) and write(); the raw connection stays inside.
 * Opened only through openTenantFile (tenant-runtime/open-tenant-file.ts).
 */
export class TenantDatabase extends SqliteHandle {
  readonly tenantId: string;
  readonly file: string;

  constructor(tenantId: string, file: string, options: { fileMustExist?: boolean } = {}) {
    const db = new BetterSqlite3(file, { fileMustExist: options.fileMustExist ?? true });
    applyTenantPragmas(db);
    super(db);
    this.tenantId = tenantId;
    this.file = file;
  }

  protected override compile(sql: string): BetterSqlite3.Statement {
    assertNoAttach(sql);
    return super.compile(sql);
  }
}
