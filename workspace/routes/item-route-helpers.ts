import type { Request } from 'express';
import { NotFoundError } from '../../core/errors/app-errors';
import { parseNumericId } from '../../core/http/url-id';
import type { TenantRequestContext } from '../../tenant-runtime/tenant-request-context';
import { ItemRepository, type ItemRow } from '../items/item-repository';
import { workflowContext, type WorkflowContext } from '../workflow/workflow-context';
import { clockOf } from '../pages/view-helpers';
import { limitPolicyOf } from '../../tenant-runtime/limit-check';

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

/**
 * What a workflow command is handed for this request: the tenant's handle, the member as history
 * records them (with the super admin's name while one acts as them), their permissions, the plan's limits.
 */
export function workflowOf(ctx: TenantRequestContext): WorkflowContext {
  const { actor } = ctx;
  const name = actor.realUser ? `${actor.name} (by ${actor.realUser.name}, impersonating)` : actor.name;
  return workflowContext(ctx.db, { id: actor.userId, name }, actor.permissions, clockOf(ctx), limitPolicyOf(ctx));
}
