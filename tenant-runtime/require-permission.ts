import type { Request, RequestHandler } from 'express';
import { ForbiddenError } from '../core/errors/app-errors';
import { msg } from '../core/i18n/message';
import type { Permission } from './permission-catalogue';
import { tenantContextOf } from './tenant-access-middleware';

export type PermissionGate = RequestHandler & { requiredPermission: Permission };

/** Hears every refusal (the audit trail records them). */
export type RefusalListener = (req: Request, tenantId: string, permission: Permission) => void;

/** Refuses a member whose role lacks the permission (403: they may know the tenant exists). */
export function requirePermission(permission: Permission, onRefused?: RefusalListener): PermissionGate {
  const gate: RequestHandler = (req, res, next) => {
    const ctx = tenantContextOf(res);
    if (!ctx.can(permission)) {
      onRefused?.(req, ctx.tenant.id, permission);
      const { role } = ctx.actor;
      return next(new ForbiddenError(msg('Your role ({{role}}) cannot do this.', { role: role.label ?? role.name }), { permission }));
    }
    next();
  };
  return Object.assign(gate, { requiredPermission: permission });
}
