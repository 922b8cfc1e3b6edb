import type { Request } from 'express';
import { NotFoundError } from '../../core/errors/app-errors';
import { parseNumericId } from '../../core/http/url-id';
import type { TenantRequestContext } from '../../tenant-runtime/tenant-request-context';
import { ItemRepository, type ItemRow } from '../items/item-repository';
import { workflowContext, type WorkflowContext } from '../workflow/workflow-context';
import { clockOf } from '../pages/view-helpers';
import { limitPolicyOf } from '../../tenant-runtime/limit-check';
import type { PageLoader } from '../../tenant-runtime/tenant-route-table';
import { loadItemPage } from '../pages/item-page';

/** The item id in the URL, or 404: only digits name an item. */
export function itemIdOf(req: Request): number {
  const id = parseNumericId(req.params.id);
  if (id === undefined) throw new NotFoundError();
  return id;
}

/** Looks the item up in this tenant's own file: an id from another tenant is simply not there. */
export function itemOf(ctx: TenantRequestContext, req: Request): ItemRow {
  const item = new ItemRepository(ctx.db).find(itemIdOf(req));
  if (!item) throw new NotFoundError();
  return item;
}

/** A POST from the item page (an edit, a step, a comment, a file): refused input re-shows that page with each field's reason. */
export const itemPageForm = { view: 'tenant/item', load: ((ctx, req) => loadItemPage(ctx, itemOf(ctx, req), req.query)) satisfies PageLoader };

/**
 * What a workflow command is handed for this request: the tenant's handle, the member as history
 * records them (with the super admin's name while one acts as them), their permissions, the plan's limits.
 */
export function workflowOf(ctx: TenantRequestContext): WorkflowContext {
  const { actor } = ctx;
  const name = actor.realUser ? `${actor.name} (by ${actor.realUser.name}, impersonating)` : actor.name;
  return workflowContext(ctx.db, { id: actor.userId, name }, actor.permissions, clockOf(ctx), limitPolicyOf(ctx));
}
