import type { SqliteHandle } from '../../core/db/sqlite-handle';

export interface QueryPlan {
  sql: string;
  /** SQLite's EXPLAIN QUERY PLAN, its lines joined with "; ". */
  plan: string;
}

/** Every statement `run` prepares on the handle, with SQLite's plan for each (unbound values planned as nulls: a plan depends on the statement's shape). */
export function plansOf(handle: SqliteHandle, run: () => void): QueryPlan[] {
  const prepare = jest.spyOn(handle, 'prepare');
  try {
    run();
    return prepare.mock.calls.map(([sql]) => ({
      sql,
      plan: (
        handle
          .connection()
          .prepare(`explain query plan ${sql}`)
          .all(
            ...sql
              .split('?')
              .slice(1)
              .map(() => null),
          ) as Array<{ detail: string }>
      )
        .map((r) => r.detail)
        .join('; '),
    }));
  } finally {
    prepare.mockRestore();
  }
}
