import type { Request, RequestHandler } from 'express';
import { ForbiddenError, NotFoundError } from '../core/errors/app-errors';
import type { Permission } from './permission-catalogue';

export type PermissionGate = RequestHandler & { requiredPermission: Permission };

/** Refuses a member whose role lacks the permission (403: they may know the tenant exists). */
export type RefusalListener = (req: Request, permission: Permission) => void;

export function requirePermission(permission: Permission, onRefused?: RefusalListener): PermissionGate {
  const gate: RequestHandler = (req, _res, next) => {
    if (!req.tenant) return next(new NotFoundError());
    if (!req.tenant.permissions.has(permission)) {
      onRefused?.(req, permission);
      return next(new ForbiddenError(`Your role (${req.tenant.role.name}) cannot do this.`, { permission }));
    }
    next();
  };
  return Object.assign(gate, { requiredPermission: permission });
}
