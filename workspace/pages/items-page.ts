import type { Request } from 'express';
import { z } from 'zod';
import { parseInput } from '../../core/http/parse-input';
import type { TenantRequestContext } from '../../tenant-runtime/tenant-request-context';
import { ItemRepository } from '../items/item-repository';
import { filterQuery, itemFilterSchema, pageSchema } from '../items/item-schemas';
import { countItems, listItems } from '../items/item-query';
import { ITEM_STATUSES } from '../workflow/item-status';
import { loadWorkflowRules } from '../workflow/workflow-rules';
import { clockOf, viewHelpersFor } from './view-helpers';

export const ITEMS_PAGE_SIZE = 25;

const importedSchema = z.object({ imported: z.coerce.number().int().min(0), updated: z.coerce.number().int().min(0), skipped: z.coerce.number().int().min(0) });

/** The items list: its filters (a bad one is a 400 naming the field), one page of items with their tags. */
export function loadItemsPage(ctx: TenantRequestContext, req: Request) {
  const filter = parseInput(itemFilterSchema, req.query);
  const page = pageSchema.parse(req.query.page);
  const total = countItems(ctx.db, filter);
  // When nothing matches there is no page of items to read, nor tags for it.
  const items = total ? listItems(ctx.db, filter, ITEMS_PAGE_SIZE, (page - 1) * ITEMS_PAGE_SIZE) : [];
  const imported = importedSchema.safeParse(req.query);
  return {
    ...viewHelpersFor(ctx),
    title: 'Items',
    items,
    tags: items.length ? new ItemRepository(ctx.db).tagsFor(items.map((i) => i.id)) : new Map<number, string[]>(),
    filter,
    total,
    page,
    pages: Math.max(1, Math.ceil(total / ITEMS_PAGE_SIZE)),
    statuses: ITEM_STATUSES,
    rules: loadWorkflowRules(ctx.db),
    filterQuery,
    imported: imported.success ? imported.data : undefined,
  };
}

/** The new-item form: the rules say which channels may be chosen. */
export function loadNewItemPage(ctx: TenantRequestContext) {
  return { title: 'New item', rules: loadWorkflowRules(ctx.db), clock: clockOf(ctx) };
}
