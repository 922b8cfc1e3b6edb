import type { Permission } from '../control-plane/roles/permission-catalogue';
import type { TenantDatabase } from './tenant-database';

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

declare module 'express-serve-static-core' {
  interface Request {
    tenant?: TenantContext;
  }
}

export function can(ctx: TenantContext | undefined, permission: Permission): boolean {
  return Boolean(ctx?.permissions.has(permission));
}
