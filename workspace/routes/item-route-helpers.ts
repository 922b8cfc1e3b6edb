import type { Request } from 'express';
import { NotFoundError } from '../../core/errors/app-errors';
import type { TenantContext } from '../../tenant-runtime/tenant-context';
import type { Actor } from '../items/item-history';
import { ItemRepository, type ItemRow } from '../items/item-repository';
import { itemIdSchema } from '../items/item-schemas';
import { formatScheduleTime } from '../items/schedule-time';
import { STATUS_LABELS } from '../workflow/item-status';
import { workflowContext, type WorkflowContext } from '../workflow/workflow-context';

export function tenantOf(req: Request): TenantContext {
  if (!req.tenant) throw new NotFoundError();
  return req.tenant;
}

/** Looks the item up in this tenant's own file: an id from another tenant is simply not there. */
export function itemOf(req: Request): ItemRow {
  const id = itemIdSchema.safeParse(req.params.id);
  const item = id.success ? new ItemRepository(tenantOf(req).db).find(id.data) : undefined;
  if (!item) throw new NotFoundError();
  return item;
}

/** The signed-in member, as history records them (id and the name they have now). */
export function actorOf(req: Request): Actor {
  return { id: req.user?.id ?? null, name: req.user?.name ?? 'unknown' };
}

export function workflowOf(req: Request): WorkflowContext {
  const tenant = tenantOf(req);
  return workflowContext(tenant.db, actorOf(req), tenant.permissions);
}

/** Formatting helpers every content view uses. */
export const viewHelpers = { fmt: formatScheduleTime, statusLabels: STATUS_LABELS };
