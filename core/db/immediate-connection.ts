import type BetterSqlite3 from 'better-sqlite3';

/**
 * The connection as knex sees it, with the transaction knex begins (`BEGIN;`, deferred) turned
 * into `BEGIN IMMEDIATE;`: the write lock is taken first, waiting up to busy_timeout for another
 * process's, before anything is read. A deferred transaction reads, then fails at once with
 * "database is locked" when another process wrote in between (SQLite cannot retry it), which
 * is what two processes starting on an empty data folder would meet.
 */
export function beginsImmediate(db: BetterSqlite3.Database): BetterSqlite3.Database {
  return new Proxy(db, {
    get(target, property) {
      if (property === 'prepare') return (sql: string) => target.prepare(sql === 'BEGIN;' ? 'BEGIN IMMEDIATE;' : sql);
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
