import type BetterSqlite3 from 'better-sqlite3';
import type { Knex } from 'knex';
import { registerSearchFold } from './search-fold';

export type SqlValue = string | number | bigint | Buffer | null;
export type Params = SqlValue[] | Record<string, SqlValue>;

/**
 * One open SQLite database behind a small synchronous API: every statement is prepared once
 * and cached, counted (tests assert statement budgets with the count), and writes that belong
 * together run in `write()`, a BEGIN IMMEDIATE transaction that takes the write lock up front
 * instead of failing half-way when another connection writes.
 */
export class SqliteHandle {
  private readonly statements = new Map<string, BetterSqlite3.Statement>();
  /** What waits for the open write transaction to commit (afterCommit), in the order asked. */
  private committed: (() => void)[] = [];
  /** Statements run through get/all/run/iterate since the handle was opened. */
  statementCount = 0;
  /** Whether tenantry_fold is callable on this connection (useSearchFold). */
  private searchFold = false;

  constructor(protected readonly db: BetterSqlite3.Database) {}

  /** A prepared statement for this SQL, compiled once and reused. */
  prepare(sql: string): BetterSqlite3.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.compile(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  get<T>(sql: string, params: Params = []): T | undefined {
    this.statementCount++;
    return this.prepare(sql).get(params) as T | undefined;
  }

  all<T>(sql: string, params: Params = []): T[] {
    this.statementCount++;
    return this.prepare(sql).all(params) as T[];
  }

  run(sql: string, params: Params = []): BetterSqlite3.RunResult {
    this.statementCount++;
    return this.prepare(sql).run(params);
  }

  /** Rows one at a time (large exports), without holding them all in memory. */
  iterate<T>(sql: string, params: Params = []): IterableIterator<T> {
    this.statementCount++;
    return this.prepare(sql).iterate(params) as IterableIterator<T>;
  }

  /** Runs a query built with knex (dynamic filters), compiled to SQL with bindings. */
  allOf<T>(query: Knex.QueryBuilder | Knex.Raw): T[] {
    const { sql, bindings } = query.toSQL().toNative();
    return this.all<T>(sql, bindings as SqlValue[]);
  }

  getOf<T>(query: Knex.QueryBuilder | Knex.Raw): T | undefined {
    const { sql, bindings } = query.toSQL().toNative();
    return this.get<T>(sql, bindings as SqlValue[]);
  }

  /** Runs fn in a BEGIN IMMEDIATE transaction (a savepoint when already inside one). */
  write<T>(fn: () => T): T {
    const outermost = !this.db.inTransaction;
    const mark = this.committed.length;
    let result: T;
    try {
      result = this.db.transaction(fn).immediate();
    } catch (error) {
      // Rolled back (the savepoint, or the whole transaction, its commit included): what waited on it never runs.
      this.committed.length = mark;
      throw error;
    }
    if (outermost) this.runCommitted();
    return result;
  }

  /**
   * Runs fn once the write transaction open now has committed, or at once when none is open; never
   * if it rolls back (a savepoint rolled back drops what was asked inside it). For what is written
   * elsewhere about this database's change (the control plane's audit trail): it never tells of a
   * change that did not happen (docs/decisions/009).
   */
  afterCommit(fn: () => void): void {
    if (this.db.inTransaction) this.committed.push(fn);
    else fn();
  }

  private runCommitted(): void {
    const due = this.committed;
    if (!due.length) return;
    this.committed = [];
    let failure: unknown;
    for (const fn of due) {
      try {
        fn();
      } catch (error) {
        failure ??= error;
      }
    }
    if (failure !== undefined) throw failure;
  }

  /**
   * Makes tenantry_fold (core/db/search-fold.ts) callable on this connection, once. A query that
   * may read a column through it (searchCondition) asks first, so a tenant handle gets it the first
   * time it searches text and opening one costs nothing for it (a router miss stays lean).
   */
  useSearchFold(): void {
    if (this.searchFold) return;
    registerSearchFold(this.db);
    this.searchFold = true;
  }

  /** For migrations, pragmas and file operations that need the connection itself; never for routes. */
  connection(): BetterSqlite3.Database {
    return this.db;
  }

  get isOpen(): boolean {
    return this.db.open;
  }

  /** Whether the connection is inside a transaction (what it reads there may yet be rolled back). */
  get inTransaction(): boolean {
    return this.db.inTransaction;
  }

  close(): void {
    if (!this.db.open) return;
    this.statements.clear();
    this.db.close();
  }

  /** Subclasses may check SQL before it is compiled. */
  protected compile(sql: string): BetterSqlite3.Statement {
    return this.db.prepare(sql);
  }
}
