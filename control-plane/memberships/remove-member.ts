import type { Platform } from '../../app/create-platform';
import { auditedBy, type TenantActor } from '../audit/tenant-actor';
import { assertKeepsAnOwner } from './owner-guard';
import { manageableMember } from './change-member-role';
import type { MemberRow } from './membership-repository';

/** Removes a member from the tenant; their next request to it answers 404. */
export function removeMember(platform: Platform, actor: TenantActor, membershipId: number): MemberRow {
  const member = platform.db.raw
    .transaction(() => {
      const found = manageableMember(platform, actor, membershipId, 'remove');
      assertKeepsAnOwner(platform, found, actor.tenantId, 'remove');
      platform.memberships.markRemoved(found.membership_id, actor.tenantId);
      return found;
    })
    .immediate();
  platform.access.invalidateMemberships();
  platform.audit.record({
    ...auditedBy(actor),
    action: 'membership.remove',
    targetType: 'user',
    targetId: member.user_id,
    before: { roleId: member.role_id, role: member.role_name, status: 'active' },
    after: { status: 'removed' },
  });
  return member;
}
