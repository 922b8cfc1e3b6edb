import type { Request } from 'express';
import type { ControlPlane } from '../control-plane';
import type { SessionUser } from '../../core/http/request-types';
import type { MemberGrant, TenantRef } from '../../tenant-runtime/tenant-request-context';
import { clientOf } from '../../core/http/client-of';
import { AccessGrantRepository } from './access-grant-repository';
import { BREAK_GLASS_PERMISSIONS, BREAK_GLASS_ROLE, BREAK_GLASS_STATUSES } from './break-glass-role';
import { endBreakGlass } from './end-break-glass';

/**
 * The membership gate's second question, asked only when the user is no member of the tenant:
 * does a super admin (acting as themself, not impersonating) hold an open break-glass grant
 * to it? An expired grant is ended here, on the first request that finds it, and answers
 * nothing: expiry needs no timer.
 */
export function breakGlassGrant(platform: ControlPlane, user: SessionUser, tenant: TenantRef, req: Request): MemberGrant | undefined {
  if (!user.isSuperAdmin || req.realUser || !BREAK_GLASS_STATUSES.includes(tenant.status)) return undefined;
  const grant = new AccessGrantRepository(platform.db).findOpen(user.id, tenant.id);
  if (!grant) return undefined;
  if (grant.expires_at <= Date.now()) {
    try {
      endBreakGlass(platform, { userId: user.id, ...clientOf(req) }, grant.id, 'expired');
    } catch {
      // Ended meanwhile by another request: the answer is the same.
    }
    return undefined;
  }
  return {
    role: BREAK_GLASS_ROLE,
    permissions: BREAK_GLASS_PERMISSIONS,
    elevated: Object.freeze({ kind: 'break-glass' as const, reason: grant.reason, expiresAt: grant.expires_at }),
  };
}
