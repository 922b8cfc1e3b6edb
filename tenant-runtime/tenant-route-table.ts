import { Router, type RequestHandler } from 'express';
import type { Permission } from './permission-catalogue';
import { requirePermission, type RefusalListener } from './require-permission';

/**
 * Tenant routes are declared with the permission they need; there is no other way to add
 * one, and a test walks the router to prove every route has its gate.
 */
export class TenantRouteTable {
  readonly router = Router({ mergeParams: true });

  /** onRefused hears every refusal (the audit trail records them). */
  constructor(private readonly onRefused?: RefusalListener) {}

  get(path: string, permission: Permission, ...handlers: RequestHandler[]): this {
    this.router.get(path, requirePermission(permission, this.onRefused), ...handlers);
    return this;
  }

  post(path: string, permission: Permission, ...handlers: RequestHandler[]): this {
    this.router.post(path, requirePermission(permission, this.onRefused), ...handlers);
    return this;
  }
}
