import type { MembershipGate } from '../../tenant-runtime/tenant-access-middleware';
import type { AccessCache } from './access-cache';
import type { UserRepository } from '../users/user-repository';
import { accessibleTenant } from './accessible-tenant';

/**
 * The control plane's answer to the tenant runtime's questions, from the access cache (no
 * query on the hot path): which tenant a slug names, and what a user may do there.
 */
export function membershipGate(access: AccessCache, users: UserRepository, closed?: MembershipGate['closed']): MembershipGate {
  return {
    closed,
    tenantBySlug: (slug) => access.tenantBySlug(slug),
    grant: (user, tenant) => {
      const open = accessibleTenant(access, user, access.tenantBySlug(tenant.slug));
      return open && open.tenant.id === tenant.id ? { role: open.role, permissions: open.permissions } : undefined;
    },
    // The workspace the user lands in next time; written only when it changes.
    entered: (req, user, tenant) => {
      if (req.session.lastTenantId === tenant.id) return;
      req.session.lastTenantId = tenant.id;
      users.update(user.id, { last_tenant_id: tenant.id });
    },
  };
}
