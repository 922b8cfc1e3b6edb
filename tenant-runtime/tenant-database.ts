import BetterSqlite3 from 'better-sqlite3';
import { AttachRefusedError } from '../core/errors/app-errors';

export type SqlValue = string | number | bigint | Buffer | null;
export type Params = SqlValue[] | Record<string, SqlValue>;

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

export const TENANT_PRAGMAS = ['journal_mode = WAL', 'synchronous = NORMAL', 'foreign_keys = ON', 'busy_timeout = 5000'];

export function applyTenantPragmas(db: BetterSqlite3.Database): void {
  for (const pragma of TENANT_PRAGMAS) db.pragma(pragma);
}

/**
 * One open tenant database. Routes reach SQL only through prepare()/run()/get()/all(),
 * which cache prepared statements and refuse ATTACH; the raw connection stays inside.
 */
export class TenantDatabase {
  readonly tenantId: string;
  readonly file: string;
  private readonly db: BetterSqlite3.Database;
  private readonly statements = new Map<string, BetterSqlite3.Statement>();

  constructor(tenantId: string, file: string, options: { fileMustExist?: boolean } = {}) {
    this.tenantId = tenantId;
    this.file = file;
    this.db = new BetterSqlite3(file, { fileMustExist: options.fileMustExist ?? true });
    applyTenantPragmas(this.db);
  }

  prepare(sql: string): BetterSqlite3.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      assertNoAttach(sql);
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  get<T>(sql: string, params: Params = []): T | undefined {
    return this.prepare(sql).get(params) as T | undefined;
  }

  all<T>(sql: string, params: Params = []): T[] {
    return this.prepare(sql).all(params) as T[];
  }

  run(sql: string, params: Params = []): BetterSqlite3.RunResult {
    return this.prepare(sql).run(params);
  }

  /** Runs fn in a BEGIN IMMEDIATE transaction: writers take the lock up front instead of failing mid-way. */
  write<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  /** For migrations and file operations that need the connection itself; never for routes. */
  connection(): BetterSqlite3.Database {
    return this.db;
  }

  get isOpen(): boolean {
    return this.db.open;
  }

  close(): void {
    if (!this.db.open) return;
    this.statements.clear();
    this.db.close();
  }
}
