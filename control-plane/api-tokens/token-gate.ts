import type { Request } from 'express';
import type { Admission, MembershipGate } from '../../tenant-runtime/tenant-access-middleware';
import type { MemberGrant, TenantRef } from '../../tenant-runtime/tenant-request-context';
import type { Permission } from '../../tenant-runtime/permission-catalogue';
import type { SessionUser } from '../../core/http/request-types';
import type { ControlPlane } from '../control-plane';
import { accessibleTenant } from '../tenants/accessible-tenant';
import { maintenanceAnswer, offlineForMember } from '../tenants/tenant-offline';
import { closedTenantNotice } from '../lifecycle/closed-tenant-notice';
import { TenantClosedError } from '../../core/errors/tenant-unavailable-errors';
import { SERVICE_TOKEN_SCOPES } from './token-scopes';
import { reauthenticateToken } from './token-authentication';

const SERVICE_ROLE = Object.freeze({ key: 'service-token', name: 'Service token' });

function intersect(held: ReadonlySet<Permission>, scopes: ReadonlySet<string>): Set<Permission> {
  return new Set([...held].filter((p) => scopes.has(p)));
}

/**
 * What a token may do in a tenant, decided on every request. A personal token: its user's current
 * role there (the same rule as the pages: accessibleTenant), narrowed to the token's scopes, so a
 * member removed or demoted loses the token's power at once; no break-glass access. A service
 * token: its tenant only, while active, with the scopes it was created with. A token limited to
 * another tenant is refused like a non-member: 404.
 */
export function tokenGrant(platform: ControlPlane, req: Request, user: SessionUser, tenant: TenantRef): MemberGrant | undefined {
  const token = req.apiToken;
  if (!token || (token.tenantId !== null && token.tenantId !== tenant.id)) return undefined;
  if (token.kind === 'service') {
    if (tenant.status !== 'active') return undefined;
    return { role: SERVICE_ROLE, permissions: intersect(new Set(SERVICE_TOKEN_SCOPES), token.scopes) };
  }
  const open = accessibleTenant(platform.access, user, platform.access.tenantBySlug(tenant.slug));
  if (!open || open.tenant.id !== tenant.id) return undefined;
  return { role: open.role, permissions: intersect(open.permissions, token.scopes) };
}

/**
 * A token's admission, decided like a session's: while the tenant is in maintenance (a restore),
 * the same 503 with Retry-After as the pages give a member (a personal token when its user is a
 * member there, a service token when it belongs to the tenant); otherwise the token's grant; and
 * when a suspended or damaged tenant refuses it, the same notice (403 or 503). A token limited to
 * another tenant, an outsider's, and anything else get the 404 of an unknown workspace.
 */
function tokenAdmission(platform: ControlPlane, req: Request, user: SessionUser, tenant: TenantRef): Admission | undefined {
  const token = req.apiToken;
  if (!token || (token.tenantId !== null && token.tenantId !== tenant.id)) return undefined;
  const service = token.kind === 'service';
  if (tenant.status === 'maintenance') {
    const offline = service ? maintenanceAnswer(tenant) : offlineForMember(platform.access, user.id, tenant);
    return offline ? { refusal: offline } : undefined;
  }
  const grant = tokenGrant(platform, req, user, tenant);
  if (grant) return { grant };
  const notice = closedTenantNotice(platform)(user, tenant, { belongs: service });
  return notice ? { refusal: new TenantClosedError(notice) } : undefined;
}

/** The session gate for session requests, the token rule for token requests; the same entry either way. */
export function tokenAwareGate(platform: ControlPlane, sessionGate: MembershipGate): MembershipGate {
  return {
    tenantBySlug: (slug) => sessionGate.tenantBySlug(slug),
    entitlementsOf: (tenantId) => sessionGate.entitlementsOf(tenantId),
    admit: (user, tenant, req) => (req.apiToken ? tokenAdmission(platform, req, user, tenant) : sessionGate.admit(user, tenant, req)),
    reauthenticate: (req) => (req.apiToken ? reauthenticateToken(platform, req) : sessionGate.reauthenticate?.(req)),
  };
}
