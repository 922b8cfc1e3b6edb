import type { SqliteHandle } from '../../core/db/sqlite-handle';

/**
 * The counts of items by status that the items table's triggers keep (tenant migration 0025,
 * decision 057), held to the items themselves. They are a second copy of the truth: a file that
 * came from elsewhere (an import, a clone of a file that drifted) may hold any figures, and only
 * the items say what they should be. This reads the workspace's tables by name, as the backups
 * and the doctor's other checks do.
 */

export interface StatusCountDrift {
  status: string;
  /** How many items have the status. */
  items: number;
  /** What item_status_counts says (0 for no row). */
  kept: number;
}

/**
 * The statuses whose kept count differs from their items, in one read of the status index and
 * the (at most a few rows') counts table; one statement, so one snapshot, even while a server
 * writes. A row of 0 for a status no item has is no drift (the delete trigger leaves those).
 */
export function statusCountDrift(db: SqliteHandle): StatusCountDrift[] {
  return db.all<StatusCountDrift>(
    `select status, sum(items) as items, sum(kept) as kept
       from (select status, count(*) as items, 0 as kept from items group by status
             union all select status, 0, items from item_status_counts)
      group by status having sum(items) <> sum(kept) order by status`,
  );
}

/**
 * Counts the items of each status again, in one IMMEDIATE write: the items are read under the
 * write lock, so no write between a check and this one can make the new counts wrong.
 */
export function recountItemStatuses(db: SqliteHandle): void {
  db.write(() => {
    db.run('delete from item_status_counts');
    db.run('insert into item_status_counts (status, items) select status, count(*) from items group by status');
  });
}
