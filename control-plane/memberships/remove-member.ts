import type { ControlPlane } from '../control-plane';
import { auditedBy, type ActingMember } from '../audit/tenant-actor';
import { assertKeepsAnOwner } from './owner-guard';
import { manageableMember } from './change-member-role';
import type { MemberRow } from './membership-repository';
import { revokeTokensLimitedTo } from '../api-tokens/revoke-api-token';

/**
 * The member to remove, or why they cannot be: not in the tenant, holding permissions the actor
 * lacks, or the last owner. Asked again inside the removal's transaction; a confirmation step asks
 * it first, so it never offers a removal that can only be refused.
 */
export function removableMember(platform: ControlPlane, actor: ActingMember, membershipId: number): MemberRow {
  const member = manageableMember(platform, actor, membershipId, 'remove {{name}} ({{role}})');
  assertKeepsAnOwner(platform, member, actor.tenantId, 'remove');
  return member;
}

/**
 * Removes a member from the tenant (with its audit record, in one transaction); their next request to it answers 404,
 * and their tokens limited to it are revoked for good (docs/decisions/050).
 */
export function removeMember(platform: ControlPlane, actor: ActingMember, membershipId: number): MemberRow {
  const removed = platform.db.write(() => {
    const member = removableMember(platform, actor, membershipId);
    platform.memberships.markRemoved(member.membership_id, actor.tenantId);
    platform.audit.record({
      ...auditedBy(actor),
      action: 'membership.remove',
      targetType: 'user',
      targetId: member.user_id,
      before: { roleId: member.role_id, role: member.role_name, status: 'active' },
      after: { status: 'removed' },
    });
    revokeTokensLimitedTo(platform, { userId: member.user_id, tenantId: actor.tenantId }, actor.userId, auditedBy(actor), 'member removed');
    // Kept with the removal; the tenant's webhooks hear of it once it commits.
    platform.tenantEvents.emit(actor.tenantId, {
      type: 'member.removed',
      data: { user: { id: member.user_id, email: member.email }, role: member.role_key, reason: 'removed' },
    });
    return member;
  });
  return removed;
}
