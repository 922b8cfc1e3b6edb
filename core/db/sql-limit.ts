import type { Knex } from 'knex';
import type { SqlValue } from './sqlite-handle';

/**
 * How a statement says how many rows it reads (docs/decisions/051). This SQLite (3.47 and later)
 * reads a LIMIT or OFFSET bound as a bare parameter (`limit ?`) when it plans the statement, and
 * so marks the prepared statement stale each time that parameter is bound: every run of a cached
 * `limit ?` statement compiles it again (10-25 µs, against 1-4 µs for a small read itself). No
 * statement says `limit ?` or `offset ?`; a guard test drives the pages and the API to check.
 */

/**
 * `limit 51`: a LIMIT written into the SQL, for a number of rows the code fixes (a page size, a
 * batch size; never a value read from a request, which would make one statement per value).
 */
export function limitClause(rows: number): string {
  if (!Number.isSafeInteger(rows) || rows < 0) throw new RangeError(`A LIMIT is a whole number of rows, not ${rows}`);
  return `limit ${rows}`;
}

/**
 * A LIMIT bound as a parameter, for a number of rows that varies (the API's `limit`, what is left
 * of a batch): a CAST is not a bare parameter, so SQLite plans without its value and one
 * statement serves every value.
 */
export const BOUND_LIMIT = 'limit cast(? as integer)';

/** An OFFSET bound as a parameter (a page's offset), kept compiled as BOUND_LIMIT is. */
export const BOUND_OFFSET = 'offset cast(? as integer)';

/**
 * A knex query (without a limit of its own) as SQL and bindings that read at most `limit` rows,
 * from `offset` when given, both bound through BOUND_LIMIT and BOUND_OFFSET: knex's `.limit()` and
 * `.offset()` write `limit ?` and `offset ?`.
 */
export function withBoundLimit(query: Knex.QueryBuilder, limit: number, offset?: number): { sql: string; bindings: SqlValue[] } {
  const { sql, bindings } = query.toSQL().toNative();
  if (offset === undefined) return { sql: `${sql} ${BOUND_LIMIT}`, bindings: [...(bindings as SqlValue[]), limit] };
  return { sql: `${sql} ${BOUND_LIMIT} ${BOUND_OFFSET}`, bindings: [...(bindings as SqlValue[]), limit, offset] };
}
