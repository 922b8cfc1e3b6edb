import type { MembershipGate } from '../../tenant-runtime/tenant-access-middleware';
import type { ControlPlane } from '../control-plane';
import { accessibleTenant } from './accessible-tenant';
import { breakGlassGrant } from '../break-glass/break-glass-gate';
import { withoutWithheld } from '../impersonation/impersonation-rules';
import { offlineForMember } from './tenant-offline';

/**
 * The control plane's answer to the tenant runtime's questions, from the access cache (no
 * query on the hot path): which tenant a slug names, and what a user may do there. A member
 * gets their role; while a super admin impersonates them, that role without the permissions
 * impersonation withholds; a super admin who is no member gets their break-glass grant, if open.
 */
export function membershipGate(platform: ControlPlane): MembershipGate {
  const { access } = platform;
  return {
    tenantBySlug: (slug) => access.tenantBySlug(slug),
    grant: (user, tenant, req) => {
      const open = accessibleTenant(access, user, access.tenantBySlug(tenant.slug));
      if (open && open.tenant.id === tenant.id) {
        const grant = { role: open.role, permissions: open.permissions };
        return req.realUser ? withoutWithheld(grant) : grant;
      }
      return breakGlassGrant(platform, user, tenant, req);
    },
    // Members of a tenant in maintenance learn it is coming back; everyone else still gets the 404.
    offline: (user, tenant) => offlineForMember(access, user.id, tenant),
  };
}
