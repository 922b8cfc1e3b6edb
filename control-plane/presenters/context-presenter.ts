import type { SessionUser } from '../users/user-record';
import type { Permission } from '../../tenant-runtime/permission-catalogue';
import type { UserTenantRow } from '../memberships/membership-repository';
import type { AccessibleTenant } from '../tenants/accessible-tenant';

export interface ContextJson {
  user: { id: string; email: string; name: string; isSuperAdmin: boolean };
  tenant: { id: string; slug: string; name: string } | null;
  role: { key: string; name: string } | null;
  permissions: string[];
}

export interface TenantJson {
  id: string;
  slug: string;
  name: string;
  role: { key: string; name: string };
  current: boolean;
  default: boolean;
}

/** The shape of `GET /api/v1/context`: who is signed in, where, as what, allowed to do what. */
export function presentContext(user: SessionUser, current: AccessibleTenant | undefined, permissions: ReadonlySet<Permission>): ContextJson {
  return {
    user: { id: user.id, email: user.email, name: user.name, isSuperAdmin: user.isSuperAdmin },
    tenant: current ? { id: current.tenant.id, slug: current.tenant.slug, name: current.tenant.name } : null,
    role: current ? { key: current.membership.role_key, name: current.membership.role_name } : null,
    permissions: current ? [...permissions].sort() : [],
  };
}

/** One entry of `GET /api/v1/tenants`. */
export function presentUserTenant(row: UserTenantRow, currentId: string | undefined, defaultId: string | null | undefined): TenantJson {
  return {
    id: row.tenant_id,
    slug: row.slug,
    name: row.name,
    role: { key: row.role_key, name: row.role_name },
    current: row.tenant_id === currentId,
    default: row.tenant_id === defaultId,
  };
}
