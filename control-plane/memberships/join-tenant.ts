import type { ControlPlane } from '../control-plane';

/** How a member came in, as `member.joined` says it. */
export type JoinedVia = 'invitation' | 'super_admin';

/**
 * The one way a user joins a tenant: inside the caller's transaction, they become an active member
 * with the role (one who is a member already takes the role, and has joined nothing). A join is
 * announced (`member.joined`, kept with the transaction: the tenant's webhooks hear of it once it
 * commits). Returns whether the user joined.
 */
export function joinTenant(platform: ControlPlane, member: { userId: string; email: string; tenantId: string; roleId: number }, via: JoinedVia): boolean {
  const already = platform.memberships.findActive(member.userId, member.tenantId);
  platform.memberships.upsert(member.userId, member.tenantId, member.roleId);
  if (already) return false;
  platform.tenantEvents.emit(member.tenantId, {
    type: 'member.joined',
    data: { user: { id: member.userId, email: member.email }, roleId: member.roleId, via },
  });
  return true;
}
