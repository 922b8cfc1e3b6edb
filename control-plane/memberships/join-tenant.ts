import type { ControlPlane } from '../control-plane';
import type { TenantEvent } from '../events/tenant-events';

/** How a member came in, as `member.joined` says it. */
export type JoinedVia = 'invitation' | 'super_admin';

/** A join to announce once the transaction that made it has committed (announceJoin). */
export interface Joined {
  tenantId: string;
  event: TenantEvent;
}

/**
 * The one way a user joins a tenant: inside the caller's transaction, they become an active member
 * with the role (one who is a member already takes the role, and has joined nothing). Returns what
 * to announce after the commit, or undefined for a member who was one already.
 */
export function joinTenant(
  platform: ControlPlane,
  member: { userId: string; email: string; tenantId: string; roleId: number },
  via: JoinedVia,
): Joined | undefined {
  const already = platform.memberships.findActive(member.userId, member.tenantId);
  platform.memberships.upsert(member.userId, member.tenantId, member.roleId);
  if (already) return undefined;
  return {
    tenantId: member.tenantId,
    event: { type: 'member.joined', data: { user: { id: member.userId, email: member.email }, roleId: member.roleId, via } },
  };
}

/** Tells the tenant's listeners (its webhooks) of a join, after the transaction that made it has committed. */
export function announceJoin(platform: ControlPlane, joined: Joined | undefined): void {
  if (joined) platform.tenantEvents.emit(joined.tenantId, joined.event);
}
