import { roleNameValue } from '../roles/predefined-roles';
import { msg } from '../../core/i18n/message';
import { z } from 'zod';
import type { ControlPlane } from '../control-plane';
import { NotFoundError } from '../../core/errors/app-errors';
import { parseInput } from '../../core/http/parse-input';
import { auditedBy, type ActingMember } from '../audit/tenant-actor';
import { roleIdSchema } from '../roles/role-schemas';
import { assertCanGrant } from '../roles/grant-rules';
import { offeredRole } from '../roles/offered-role';
import { assertKeepsAnOwner } from './owner-guard';
import type { MemberRow } from './membership-repository';

export const memberRoleSchema = z.object({ role_id: roleIdSchema });

/** A member of the actor's tenant the actor may change: one holding no permission the actor lacks. */
export function manageableMember(platform: ControlPlane, actor: ActingMember, membershipId: number, what: string): MemberRow {
  const member = platform.memberships.findMember(membershipId, actor.tenantId);
  if (!member) throw new NotFoundError();
  assertCanGrant(
    actor.permissions,
    platform.access.permissionsOfRole(member.role_id),
    msg(what, { name: member.name, role: roleNameValue(member.role_key, member.role_name) }),
  );
  return member;
}

/**
 * Gives a member another role of the same tenant, with its audit record, in one transaction.
 * The repository tells the access cache, so the member's very next request is checked
 * against the new role.
 */
export function changeMemberRole(platform: ControlPlane, actor: ActingMember, membershipId: number, input: unknown): MemberRow {
  return platform.db.write(() => {
    const member = manageableMember(platform, actor, membershipId, 'change the role of {{name}} ({{role}})');
    const { role_id: roleId } = parseInput(memberRoleSchema, input);
    const role = offeredRole(platform, roleId, actor.tenantId);
    assertCanGrant(actor.permissions, platform.access.permissionsOfRole(role.id), msg('give the role {{role}}', { role: roleNameValue(role.key, role.name) }));
    if (role.id === member.role_id) return member;
    if (!(role.key === 'owner' && role.is_predefined)) assertKeepsAnOwner(platform, member, actor.tenantId, 'demote');
    platform.memberships.setRole(member.membership_id, actor.tenantId, role.id);
    const after = platform.memberships.findMember(member.membership_id, actor.tenantId) as MemberRow;
    platform.audit.record({
      ...auditedBy(actor),
      action: 'membership.role_change',
      targetType: 'user',
      targetId: after.user_id,
      before: { roleId: member.role_id, role: member.role_name },
      after: { roleId: after.role_id, role: after.role_name },
    });
    return after;
  });
}
