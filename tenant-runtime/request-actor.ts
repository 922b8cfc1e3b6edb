import type { Request } from 'express';
import { NotFoundError } from '../core/errors/app-errors';
import type { TenantActor } from '../control-plane/audit/tenant-actor';
import { urlIdSchema } from '../control-plane/roles/role-schemas';

/** The signed-in member acting in the URL's tenant (membership already proven by tenantAccess). */
export function actorOf(req: Request): TenantActor {
  const { tenant, user } = req;
  if (!tenant || !user) throw new NotFoundError();
  return { userId: user.id, tenantId: tenant.id, permissions: tenant.permissions, ip: req.ip ?? null, userAgent: req.get('user-agent') ?? null };
}

/** A numeric id from the URL; anything else is simply not found. */
export function numericParam(req: Request, name = 'id'): number {
  const parsed = urlIdSchema.safeParse(req.params[name]);
  if (!parsed.success) throw new NotFoundError();
  return parsed.data;
}
