import type { ControlPlane } from '../control-plane';
import { auditedBy, type ActingMember } from '../audit/tenant-actor';
import { assertKeepsAnOwner } from './owner-guard';
import { manageableMember } from './change-member-role';
import type { MemberRow } from './membership-repository';
import { revokeTokensLimitedTo } from '../api-tokens/revoke-api-token';
import { NotFoundError } from '../../core/errors/app-errors';
import { deletedJustNow } from '../audit/repeated-deletion';
import { parseNumericId } from '../../core/http/url-id';

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
 * The member the same actor removed moments ago (a double click, a form or an API call sent again),
 * as their removal record in this tenant says (repeated-deletion.ts): the repeat is answered with
 * the first one instead of a 404 about its own effect. Undefined for anyone else or long after.
 */
function removedJustNow(platform: ControlPlane, actor: ActingMember, membershipId: number): MemberRow | undefined {
  const former = platform.memberships.findRemoved(membershipId, actor.tenantId);
  if (!former) return undefined;
  const asked = { action: 'membership.remove', targetType: 'user', targetId: former.user_id, actorUserId: actor.userId, tenantId: actor.tenantId };
  return deletedJustNow(platform.db, asked) ? former : undefined;
}

/**
 * The member who removed themselves from the tenant moments ago (a double click on Remove on their
 * own row, an API call sent again), asked once they are no longer let in: their own removal record
 * of their own membership in this tenant (repeated-deletion.ts). Their repeat is answered as the
 * first one was, and gives them no access to the tenant. Undefined for anyone else, another
 * membership or tenant, or long after: the 404 of a tenant they are not a member of.
 */
export function removedThemselvesJustNow(platform: ControlPlane, userId: string, tenantId: string, membershipId: unknown): MemberRow | undefined {
  const former = ownFormerMembership(platform, userId, tenantId, membershipId);
  if (!former) return undefined;
  const asked = { action: 'membership.remove', targetType: 'user', targetId: userId, actorUserId: userId, tenantId };
  return deletedJustNow(platform.db, asked) ? former : undefined;
}

/** The person's own membership of the tenant, removed (by anyone, whenever), or undefined. */
export function ownFormerMembership(platform: ControlPlane, userId: string, tenantId: string, membershipId: unknown): MemberRow | undefined {
  const id = parseNumericId(membershipId);
  const former = id === undefined ? undefined : platform.memberships.findRemoved(id, tenantId);
  return former?.user_id === userId ? former : undefined;
}

/**
 * Removes a member from the tenant (with its audit record, in one transaction); their next request to it answers 404,
 * and their tokens limited to it are revoked for good (docs/decisions/050). The same removal sent
 * again by the same actor moments after, or at once, finds that record and is answered with the
 * member it removed, writing nothing.
 */
export function removeMember(platform: ControlPlane, actor: ActingMember, membershipId: number): MemberRow {
  const removed = platform.db.write(() => {
    let member: MemberRow;
    try {
      member = removableMember(platform, actor, membershipId);
    } catch (error) {
      const repeated = error instanceof NotFoundError ? removedJustNow(platform, actor, membershipId) : undefined;
      if (repeated) return repeated;
      throw error;
    }
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
