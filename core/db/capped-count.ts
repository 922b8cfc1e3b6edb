import type { Knex } from 'knex';
import { sqlBuilder } from './sql-builder';
import { limitClause } from './sql-limit';
import type { SqliteHandle, SqlValue } from './sqlite-handle';

/** How far a list's count goes: past it the list says "more than 10,000" and stops counting. */
export const COUNT_CAP = 10_000;

/** How many rows match, up to the cap: `more` when there are more than `count` (which is then the cap). */
export interface CappedCount {
  count: number;
  more: boolean;
}

/**
 * Counts the rows of a query (its filters, without a limit of its own), stopping after cap + 1:
 * a subquery reads at most that many, so a filter matching 200,000 rows costs what 10,001 do,
 * where `count(*)` read every match on every view of a list. The cap is written into the SQL
 * (docs/decisions/051): one statement per call site.
 *
 * A query over a whole table (`unfiltered`: no WHERE, no join) is counted exactly instead: SQLite
 * counts a table from its smallest index without stepping through its rows (21 µs at 200,000
 * items, 6 at 1,000), where the capped subquery steps through each (230 and 30 µs).
 */
export function countUpTo(db: SqliteHandle, query: Knex.QueryBuilder, cap = COUNT_CAP, unfiltered = false): CappedCount {
  const { sql, bindings } = query.clearSelect().clearOrder().select(sqlBuilder.raw('1')).toSQL().toNative();
  if (unfiltered) return { count: db.get<{ n: number }>(`select count(*) as n from (${sql})`, bindings as SqlValue[])?.n ?? 0, more: false };
  const n = db.get<{ n: number }>(`select count(*) as n from (${sql} ${limitClause(cap + 1)})`, bindings as SqlValue[])?.n ?? 0;
  return n > cap ? { count: cap, more: true } : { count: n, more: false };
}

/** A list's pages: how many when the count is whole, undefined when it stopped at the cap. */
export function pageCount(total: CappedCount, pageSize: number): number | undefined {
  return total.more ? undefined : Math.max(1, Math.ceil(total.count / pageSize));
}
