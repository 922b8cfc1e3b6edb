import { roleNameValue } from './predefined-roles';
import { msg } from '../../core/i18n/message';
import type { ControlPlane } from '../control-plane';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors/app-errors';
import { parseInput } from '../../core/http/parse-input';
import { auditedBy, type ActingMember } from '../audit/tenant-actor';
import { roleDeleteSchema } from './role-schemas';
import { assertCanGrant } from './grant-rules';
import { editableRole } from './save-custom-role';
import type { RoleRecord } from './role-repository';
import { deletionJustNow } from '../audit/repeated-deletion';

interface DeletedRole {
  moved: number;
  name: string;
}

/**
 * The deletion the same actor made of this role moments ago (a double click, a form or an API call
 * sent again), as their role.delete record in this tenant says (repeated-deletion.ts): the repeat
 * is answered with the first one instead of a 404 about its own effect. Undefined for anyone else or long after.
 */
function deletedJustNow(platform: ControlPlane, actor: ActingMember, roleId: number): DeletedRole | undefined {
  const asked = { action: 'role.delete', targetType: 'role', targetId: String(roleId), actorUserId: actor.userId, tenantId: actor.tenantId };
  const record = deletionJustNow(platform.db, asked);
  if (!record) return undefined;
  const { name } = record.before;
  const { membersMoved } = record.after;
  return { name: typeof name === 'string' ? name : '', moved: typeof membersMoved === 'number' ? membersMoved : 0 };
}

/**
 * Deletes a custom role. Members and pending invitations holding it move to the replacement
 * role chosen in the form (required when there are any); a role other roles inherit from
 * cannot be deleted until they have another parent. The role is read, deleted and recorded in one
 * write: the same deletion sent again by the same actor moments after, or at once, finds that
 * record and is answered as the first one was, writing nothing.
 */
export function deleteCustomRole(platform: ControlPlane, actor: ActingMember, roleId: number, input: unknown): DeletedRole {
  return platform.db.write(() => {
    let current: RoleRecord;
    try {
      current = editableRole(platform, actor, roleId);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      const repeated = deletedJustNow(platform, actor, roleId);
      if (!repeated) throw error;
      // Hostile input is refused all the same (400 naming the field), the repeat or not.
      parseInput(roleDeleteSchema, input);
      return repeated;
    }
    const { replacement_role_id: wanted } = parseInput(roleDeleteSchema, input);
    const usage = platform.roles.usage(current.id);
    if (usage.children > 0) {
      throw new ConflictError(
        msg('{{name}} is the parent of {{count}} other roles. Give them another parent first.', { name: current.name, count: usage.children }),
      );
    }
    if (wanted === null && usage.members + usage.invitations > 0) {
      throw ValidationError.single(
        'replacement_role_id',
        msg('is required: {{members}} members and {{invitations}} pending invitations have this role', {
          members: usage.members,
          invitations: usage.invitations,
        }),
      );
    }
    let replacement = wanted === null ? undefined : platform.roles.findForTenant(wanted, actor.tenantId);
    if (wanted !== null && (!replacement || replacement.id === current.id)) {
      throw ValidationError.single('replacement_role_id', msg('must be another role of this workspace'));
    }
    if (replacement)
      assertCanGrant(
        actor.permissions,
        platform.access.permissionsOfRole(replacement.id),
        msg('give {{role}} to its members', { role: roleNameValue(replacement.key, replacement.name) }),
      );
    // Past memberships and invitations keep a foreign key to the role: they move too (to viewer when nothing is chosen).
    replacement ??= platform.roles.findPredefined('viewer');
    if (!replacement) throw new Error('predefined role viewer is missing');
    platform.roles.replaceAndDelete(current.id, actor.tenantId, replacement.id);
    platform.audit.record({
      ...auditedBy(actor),
      action: 'role.delete',
      targetType: 'role',
      targetId: String(roleId),
      before: { name: current.name, parentRoleId: current.parent_role_id, permissions: JSON.parse(current.permissions) as string[] },
      after: { replacementRoleId: wanted, membersMoved: usage.members },
    });
    return { moved: usage.members, name: current.name };
  });
}
