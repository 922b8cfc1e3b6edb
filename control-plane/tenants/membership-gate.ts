import type { MembershipGate } from '../../tenant-runtime/tenant-access-middleware';
import type { ControlPlane } from '../control-plane';
import { accessibleTenant } from './accessible-tenant';
import { breakGlassGrant } from '../break-glass/break-glass-gate';
import { withoutWithheld } from '../impersonation/impersonation-rules';
import { closedTenantNotice } from '../lifecycle/closed-tenant-notice';
import { TenantClosedError } from '../../core/errors/tenant-unavailable-errors';
import { offlineForMember } from './tenant-offline';
import { isLanguage } from '../../core/i18n/languages';

/**
 * The control plane's answer to the tenant runtime's questions, from the access cache (no
 * query on the hot path): which tenant a slug names, and whether a user may enter it. One
 * decision, in this order:
 * - a tenant in maintenance (its data being restored): its members get a 503 with Retry-After;
 * - a member of an open tenant enters with their role (while a super admin impersonates them,
 *   that role without the permissions impersonation withholds); a super admin who is no member
 *   enters with their break-glass grant, if open;
 * - a member of a suspended or damaged tenant gets the notice (403: why, until when, whom to ask);
 * - everyone else gets undefined: the same 404 as for an unknown workspace.
 * A member refused, or whose workspace's file cannot be opened, reads that page in the workspace's
 * language (`workspaceLanguage`) unless they chose their own.
 */
export function membershipGate(platform: ControlPlane): MembershipGate {
  const { access } = platform;
  const closed = closedTenantNotice(platform);
  return {
    tenantBySlug: (slug) => access.tenantBySlug(slug),
    entitlementsOf: (tenantId) => platform.planBook.entitlementsOf(tenantId),
    admit: (user, tenant, req) => {
      if (tenant.status === 'maintenance') {
        const offline = offlineForMember(access, user.id, tenant);
        return offline ? { refusal: offline } : undefined;
      }
      const open = accessibleTenant(access, user, access.tenantBySlug(tenant.slug));
      if (open && open.tenant.id === tenant.id) {
        const grant = { role: open.role, permissions: open.permissions };
        return { grant: req.realUser ? withoutWithheld(grant) : grant };
      }
      const breakGlass = breakGlassGrant(platform, user, tenant, req);
      if (breakGlass) return { grant: breakGlass };
      const notice = closed(user, tenant);
      return notice ? { refusal: new TenantClosedError(notice) } : undefined;
    },
    workspaceLanguage: (tenant) => {
      const record = access.tenantBySlug(tenant.slug);
      if (!record || record.id !== tenant.id) return undefined;
      // The control plane's copy (no file opened: it may be being replaced, damaged, or behind the code).
      if (isLanguage(record.language)) return record.language;
      // Not known there yet (not opened since the copy was kept, a change cut off): a suspended workspace's file is read.
      return record.status === 'suspended' ? platform.closedWorkspaceLanguage?.(tenant.id) : undefined;
    },
  };
}
