import { msg } from '../../core/i18n/message';
import type { ControlPlane } from '../control-plane';
import { ConflictError, ForbiddenError, NotFoundError } from '../../core/errors/app-errors';
import { auditedBy, type ActingMember } from '../audit/tenant-actor';
import { isOwner } from './owner-guard';
import type { MemberRow } from './membership-repository';

/**
 * Who gives ownership and who receives it, or why the transfer is refused: the member is not in
 * the tenant, the actor is not an owner, or the member is the actor, an owner already or disabled. Asked
 * again inside the transfer's transaction; a confirmation step asks it first, so it never offers
 * a transfer that can only be refused.
 */
export function transferParties(platform: ControlPlane, actor: ActingMember, membershipId: number): { from: MemberRow; to: MemberRow } {
  const to = platform.memberships.findMember(membershipId, actor.tenantId);
  if (!to) throw new NotFoundError();
  const from = platform.memberships.findMemberOfUser(actor.userId, actor.tenantId);
  if (!from || !isOwner(from)) throw new ForbiddenError(msg('Only an owner can transfer ownership.'));
  if (to.membership_id === from.membership_id) throw new ConflictError(msg('You already own this workspace. Choose another member.'));
  // Nothing to give an owner: the transfer would only make the acting owner an admin.
  if (isOwner(to)) throw new ConflictError(msg('{{name}} already owns this workspace. Choose a member who is not an owner.', { name: to.name }));
  // An owner whose account is disabled manages nothing: the workspace would be left without one who can.
  if (to.user_status !== 'active') throw new ConflictError(msg("{{name}}'s account is disabled. Choose a member whose account is active.", { name: to.name }));
  return { from, to };
}

/** The acting owner makes another member, not an owner yet, owner and becomes admin, in one transaction. */
export function transferOwnership(platform: ControlPlane, actor: ActingMember, membershipId: number): { from: MemberRow; to: MemberRow } {
  const owner = platform.roles.findPredefined('owner');
  const admin = platform.roles.findPredefined('admin');
  if (!owner || !admin) throw new Error('predefined roles owner/admin are missing');
  return platform.db.write(() => {
    const { from, to } = transferParties(platform, actor, membershipId);
    platform.memberships.setRole(to.membership_id, actor.tenantId, owner.id);
    platform.memberships.setRole(from.membership_id, actor.tenantId, admin.id);
    const audit = auditedBy(actor);
    platform.audit.record({
      ...audit,
      action: 'ownership.transfer',
      targetType: 'user',
      targetId: to.user_id,
      before: { owner: from.user_id },
      after: { owner: to.user_id },
    });
    if (to.role_id !== owner.id)
      platform.audit.record({
        ...audit,
        action: 'membership.role_change',
        targetType: 'user',
        targetId: to.user_id,
        before: { roleId: to.role_id, role: to.role_name },
        after: { roleId: owner.id, role: owner.name },
      });
    platform.audit.record({
      ...audit,
      action: 'membership.role_change',
      targetType: 'user',
      targetId: from.user_id,
      before: { roleId: from.role_id, role: from.role_name },
      after: { roleId: admin.id, role: admin.name },
    });
    return { from, to };
  });
}
