import { roleNameValue } from './predefined-roles';
import { msg } from '../../core/i18n/message';
import type { ControlPlane } from '../control-plane';
import { ConflictError, ValidationError } from '../../core/errors/app-errors';
import { parseInput } from '../../core/http/parse-input';
import { auditedBy, type ActingMember } from '../audit/tenant-actor';
import { roleDeleteSchema } from './role-schemas';
import { assertCanGrant } from './grant-rules';
import { editableRole } from './save-custom-role';

/**
 * Deletes a custom role. Members and pending invitations holding it move to the replacement
 * role chosen in the form (required when there are any); a role other roles inherit from
 * cannot be deleted until they have another parent.
 */
export function deleteCustomRole(platform: ControlPlane, actor: ActingMember, roleId: number, input: unknown): { moved: number; name: string } {
  return platform.db.write(() => {
    const current = editableRole(platform, actor, roleId);
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
