import type { Knex } from 'knex';
import { sqlBuilder } from '../../core/db/sql-builder';
import { withBoundLimit } from '../../core/db/sql-limit';
import { COUNT_CAP, countUpTo, type CappedCount } from '../../core/db/capped-count';
import { searchCondition } from '../../core/db/search-fold';
import type { TenantDatabase } from '../../tenant-runtime/tenant-database';
import type { ItemFilter } from './item-schemas';
import type { ItemRow } from './item-repository';

/**
 * The list's filters as a knex query, compiled to SQL with bindings and run on the tenant's
 * own handle: input only ever travels as a binding. (No tenant filter: the file is the tenant.)
 * Text is searched in title and body in any case, in every script (core/db/search-fold.ts): the
 * handle is given tenantry_fold at its first search, not when it opens.
 */
function filtered(db: TenantDatabase, filter: ItemFilter): Knex.QueryBuilder {
  const query = sqlBuilder('items');
  if (filter.status) query.where('items.status', filter.status);
  if (filter.channel) query.where('items.channel', filter.channel);
  // The tag's items from its index (item_tags_tag_index), not every item asked in turn whether it
  // carries the tag: a tag on 1,250 of 50,000 items was counted in 30-50 ms, its page 40 read in 50.
  if (filter.tag) query.whereIn('items.id', sqlBuilder('item_tags').select('item_tags.item_id').where('item_tags.tag', filter.tag));
  if (filter.q) {
    db.useSearchFold();
    const [title, body] = [searchCondition('items.title', filter.q), searchCondition('items.body', filter.q)];
    query.where((q) => q.whereRaw(title.sql, title.bindings).orWhereRaw(body.sql, body.bindings));
  }
  return query;
}

/** At most `limit` rows of the query (from `offset` when given), bound so that one statement serves every page (core/db/sql-limit.ts). */
function runLimited<T>(db: TenantDatabase, query: Knex.QueryBuilder, limit: number, offset?: number): T[] {
  const { sql, bindings } = withBoundLimit(query, limit, offset);
  return db.all<T>(sql, bindings);
}

/** How many items match, up to `cap` (core/db/capped-count.ts): a filter matching most of a big workspace stops there. */
export function countItems(db: TenantDatabase, filter: ItemFilter, cap = COUNT_CAP): CappedCount {
  const unfiltered = !filter.status && !filter.channel && !filter.tag && !filter.q;
  return countUpTo(db, filtered(db, filter), cap, unfiltered);
}

/** One page, newest first. */
export function listItems(db: TenantDatabase, filter: ItemFilter, limit: number, offset: number): ItemRow[] {
  return runLimited<ItemRow>(db, filtered(db, filter).select('items.*').orderBy('items.id', 'desc'), limit, offset);
}

/** Every matching item in batches of `size`, by id (for exports: memory stays flat). */
export function* itemBatches(db: TenantDatabase, filter: ItemFilter, size = 500): Generator<ItemRow[]> {
  let after = 0;
  for (;;) {
    const batch = runLimited<ItemRow>(db, filtered(db, filter).select('items.*').where('items.id', '>', after).orderBy('items.id', 'asc'), size);
    if (!batch.length) return;
    yield batch;
    after = batch[batch.length - 1].id;
  }
}

/** One page for the API, newest first, keyed on the id (no offset scan however deep the page). */
export function listItemsBefore(db: TenantDatabase, filter: ItemFilter, limit: number, beforeId?: number): ItemRow[] {
  const query = filtered(db, filter).select('items.*').orderBy('items.id', 'desc');
  if (beforeId !== undefined) query.where('items.id', '<', beforeId);
  return runLimited<ItemRow>(db, query, limit);
}
