import type { Platform } from '../../app/create-platform';
import { ConflictError, ForbiddenError, NotFoundError } from '../../core/errors/app-errors';
import { auditedBy, type TenantActor } from '../audit/tenant-actor';
import { isOwner } from './owner-guard';
import type { MemberRow } from './membership-repository';

/** The acting owner makes another member owner and becomes admin, in one transaction. */
export function transferOwnership(platform: Platform, actor: TenantActor, membershipId: number): { from: MemberRow; to: MemberRow } {
  const owner = platform.roles.findPredefined('owner');
  const admin = platform.roles.findPredefined('admin');
  if (!owner || !admin) throw new Error('predefined roles owner/admin are missing');
  const { from, to } = platform.db.raw
    .transaction(() => {
      const target = platform.memberships.findMember(membershipId, actor.tenantId);
      if (!target) throw new NotFoundError();
      const self = platform.memberships.findMemberOfUser(actor.userId, actor.tenantId);
      if (!self || !isOwner(self)) throw new ForbiddenError('Only an owner can transfer ownership.');
      if (target.membership_id === self.membership_id) throw new ConflictError('You already own this workspace. Choose another member.');
      platform.memberships.setRole(target.membership_id, actor.tenantId, owner.id);
      platform.memberships.setRole(self.membership_id, actor.tenantId, admin.id);
      return { from: self, to: target };
    })
    .immediate();
  platform.access.invalidateMemberships();
  const audit = auditedBy(actor);
  platform.audit.record({ ...audit, action: 'ownership.transfer', targetType: 'user', targetId: to.user_id, before: { owner: from.user_id }, after: { owner: to.user_id } });
  if (to.role_id !== owner.id) platform.audit.record({ ...audit, action: 'membership.role_change', targetType: 'user', targetId: to.user_id, before: { roleId: to.role_id, role: to.role_name }, after: { roleId: owner.id, role: owner.name } });
  platform.audit.record({ ...audit, action: 'membership.role_change', targetType: 'user', targetId: from.user_id, before: { roleId: from.role_id, role: from.role_name }, after: { roleId: admin.id, role: admin.name } });
  return { from, to };
}
