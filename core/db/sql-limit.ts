/**
 * `limit 51`: a LIMIT written into the SQL, for a number of rows the code fixes (a page size, never
 * a value read from a request). This SQLite (3.47 and later) reads a LIMIT bound as a parameter when
 * it plans the statement, and so marks the prepared statement stale each time that parameter is
 * bound: every run of a cached `limit ?` statement compiles it again (10-25 µs for the item page's
 * reads, against 1-4 µs for the read itself). A statement with its LIMIT written in keeps its plan.
 */
export function limitClause(rows: number): string {
  if (!Number.isSafeInteger(rows) || rows < 0) throw new RangeError(`A LIMIT is a whole number of rows, not ${rows}`);
  return `limit ${rows}`;
}
