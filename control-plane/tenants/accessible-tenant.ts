import type { SessionUser } from '../../core/http/request-types';
import type { TenantRecord } from './tenant-record';
import type { AccessCache } from './access-cache';
import type { MembershipView } from '../memberships/membership-repository';
import type { Permission } from '../../tenant-runtime/permission-catalogue';

export interface AccessibleTenant {
  tenant: TenantRecord;
  membership: MembershipView;
  role: Readonly<{ key: string; name: string }>;
  /** The membership's effective permissions. */
  permissions: ReadonlySet<Permission>;
}

/**
 * The one rule for who may open a tenant, used by the tenant pages (through the membership
 * gate) and by callers that name a tenant outside them (the context API, the account page): an
 * active tenant the user is a member of (a suspended one only for a super admin who is a
 * member). Anything else is undefined, never a reason.
 */
export function accessibleTenant(access: AccessCache, user: SessionUser, tenant: TenantRecord | undefined): AccessibleTenant | undefined {
  if (!tenant) return undefined;
  const visible = tenant.status === 'active' || (tenant.status === 'suspended' && user.isSuperAdmin);
  const grant = visible ? access.grant(user.id, tenant.id) : undefined;
  return grant ? { tenant, membership: grant.membership, role: grant.role, permissions: grant.permissions } : undefined;
}
