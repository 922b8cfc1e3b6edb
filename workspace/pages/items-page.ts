import { msg } from '../../core/i18n/message';
import type { Request } from 'express';
import { z } from 'zod';
import { parseInput } from '../../core/http/parse-input';
import type { TenantRequestContext } from '../../tenant-runtime/tenant-request-context';
import { ItemRepository } from '../items/item-repository';
import { filterQuery, itemFilterSchema, pageSchema } from '../items/item-schemas';
import { countItems, listItems } from '../items/item-query';
import { pageCount } from '../../core/db/capped-count';
import { ITEM_STATUSES } from '../workflow/item-status';
import { loadWorkflowRules } from '../workflow/workflow-rules';
import { clockOf, viewHelpersFor } from './view-helpers';

export const ITEMS_PAGE_SIZE = 25;

const bulkSchema = z.object({ bulk: z.enum(['submit', 'archive']), done: z.coerce.number().int().min(0), failed: z.coerce.number().int().min(0) });
/** What a bulk action reports, with and without items its status did not allow. */
const BULK_DONE = {
  submit: {
    all: msg('{{count}} items submitted for review.'),
    some: msg('{{count}} items submitted for review; {{failed}} could not be (gone, or their status does not allow it).'),
  },
  archive: { all: msg('{{count}} items archived.'), some: msg('{{count}} items archived; {{failed}} could not be (gone, or their status does not allow it).') },
} as const;

const importedSchema = z.object({ imported: z.coerce.number().int().min(0), updated: z.coerce.number().int().min(0), skipped: z.coerce.number().int().min(0) });

/** The items list: its filters (a bad one is a 400 naming the field), one page of items with their tags. */
export function loadItemsPage(ctx: TenantRequestContext, req: Request) {
  const filter = parseInput(itemFilterSchema, req.query);
  const page = pageSchema.parse(req.query.page);
  // One row more than a page tells whether another page follows (past the count's cap the last
  // page is not known). A first page with no row after it is every match: it is their count, and
  // the items are not read a second time to count them (a search that finds a few of 50,000 items
  // reads them all, each time: 25 ms a read).
  const rows = listItems(ctx.db, filter, ITEMS_PAGE_SIZE + 1, (page - 1) * ITEMS_PAGE_SIZE);
  const total = page === 1 && rows.length <= ITEMS_PAGE_SIZE ? { count: rows.length, more: false } : countItems(ctx.db, filter);
  const pages = pageCount(total, ITEMS_PAGE_SIZE);
  const items = rows.slice(0, ITEMS_PAGE_SIZE);
  const imported = importedSchema.safeParse(req.query);
  const bulk = bulkSchema.safeParse(req.query);
  const bulkActions = [
    ctx.can('content.edit') ? { action: 'submit', label: msg('Submit for review') } : undefined,
    ctx.can('content.publish') ? { action: 'archive', label: msg('Archive') } : undefined,
  ].filter((a) => a !== undefined);
  return {
    ...viewHelpersFor(ctx),
    title: msg('Items'),
    items,
    tags: items.length ? new ItemRepository(ctx.db).tagsFor(items.map((i) => i.id)) : new Map<number, string[]>(),
    filter,
    total: total.count,
    more: total.more,
    page,
    pages,
    hasNext: pages === undefined ? rows.length > ITEMS_PAGE_SIZE : page < pages,
    statuses: ITEM_STATUSES,
    rules: loadWorkflowRules(ctx.db),
    filterQuery,
    imported: imported.success ? imported.data : undefined,
    bulkActions,
    // Shown after a bulk action: fixed words and numbers only, so the query cannot put text on the page.
    bulkNotice: bulk.success
      ? msg(BULK_DONE[bulk.data.bulk][bulk.data.failed ? 'some' : 'all'], { count: bulk.data.done, failed: bulk.data.failed })
      : undefined,
  };
}

/** The new-item form: the rules say which channels may be chosen. */
export function loadNewItemPage(ctx: TenantRequestContext) {
  return { title: msg('New item'), rules: loadWorkflowRules(ctx.db), clock: clockOf(ctx) };
}
