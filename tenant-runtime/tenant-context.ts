import type { Permission } from './permission-catalogue';
import type { TenantDatabase } from './tenant-database';
import type { AccessibleTenant } from '../control-plane/tenants/accessible-tenant';

/** What a tenant route is handed once membership is proven: passed explicitly on the request. */
export interface TenantContext {
  id: string;
  slug: string;
  name: string;
  status: string;
  role: { key: string; name: string };
  permissions: ReadonlySet<Permission>;
  db: TenantDatabase;
}

/** The context for a tenant the user was proven to reach, on the handle leased for the request. */
export function tenantContextOf(access: AccessibleTenant, db: TenantDatabase): TenantContext {
  const { tenant } = access;
  return { id: tenant.id, slug: tenant.slug, name: tenant.name, status: tenant.status, role: access.role, permissions: access.permissions, db };
}

declare module 'express-serve-static-core' {
  interface Request {
    tenant?: TenantContext;
  }
}

export function can(ctx: TenantContext | undefined, permission: Permission): boolean {
  return Boolean(ctx?.permissions.has(permission));
}
