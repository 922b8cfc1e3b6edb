import type { MembershipGate } from '../../tenant-runtime/tenant-access-middleware';
import type { AccessCache } from './access-cache';
import type { UserRepository } from '../users/user-repository';
import { accessibleTenant } from './accessible-tenant';
import { TenantUnavailableError } from '../../core/errors/app-errors';
import { unlessDiskFull } from '../../core/errors/disk-full';

/** Seconds a member is told to wait while their workspace is offline for a restore or an import. */
export const OFFLINE_RETRY_AFTER_SECONDS = 5;

/**
 * The control plane's answer to the tenant runtime's questions, from the access cache (no
 * query on the hot path): which tenant a slug names, and what a user may do there.
 */
export function membershipGate(access: AccessCache, users: UserRepository): MembershipGate {
  return {
    tenantBySlug: (slug) => access.tenantBySlug(slug),
    grant: (user, tenant) => {
      const open = accessibleTenant(access, user, access.tenantBySlug(tenant.slug));
      return open && open.tenant.id === tenant.id ? { role: open.role, permissions: open.permissions } : undefined;
    },
    // Members of a tenant in maintenance learn it is coming back; everyone else still gets the 404.
    offline: (user, tenant) =>
      tenant.status === 'maintenance' && access.grant(user.id, tenant.id)
        ? new TenantUnavailableError('This workspace is being restored and will be back in a few seconds. Please try again shortly.', {
            tenantId: tenant.id,
            retryAfterSeconds: OFFLINE_RETRY_AFTER_SECONDS,
          })
        : undefined,
    // The workspace the user lands in next time; written only when it changes.
    entered: (req, user, tenant) => {
      if (req.session.lastTenantId === tenant.id) return;
      req.session.lastTenantId = tenant.id;
      // Best effort: on a full disk the page is still served; the landing page is remembered next time.
      unlessDiskFull(() => users.update(user.id, { last_tenant_id: tenant.id }));
    },
  };
}
