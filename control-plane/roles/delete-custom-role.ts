import type { Platform } from '../../app/create-platform';
import { ConflictError, ValidationError } from '../../core/errors/app-errors';
import { parseInput } from '../../core/http/parse-input';
import { auditedBy, type TenantActor } from '../audit/tenant-actor';
import { roleDeleteSchema } from './role-schemas';
import { assertCanGrant } from './grant-rules';
import { editableRole } from './save-custom-role';

/**
 * Deletes a custom role. Members and pending invitations holding it move to the replacement
 * role chosen in the form (required when there are any); a role other roles inherit from
 * cannot be deleted until they have another parent.
 */
export function deleteCustomRole(platform: Platform, actor: TenantActor, roleId: number, input: unknown): { moved: number } {
  const { role, replacementId, moved } = platform.db.raw
    .transaction(() => {
      const current = editableRole(platform, actor, roleId);
      const { replacement_role_id: wanted } = parseInput(roleDeleteSchema, input);
      const usage = platform.roles.usage(current.id);
      if (usage.children > 0) {
        throw new ConflictError(`${current.name} is the parent of ${usage.children} other role(s). Give them another parent first.`);
      }
      if (wanted === null && usage.members + usage.invitations > 0) {
        throw ValidationError.single('replacement_role_id', `is required: ${usage.members} member(s) and ${usage.invitations} pending invitation(s) have this role`);
      }
      let replacement = wanted === null ? undefined : platform.roles.findForTenant(wanted, actor.tenantId);
      if (wanted !== null && (!replacement || replacement.id === current.id)) {
        throw ValidationError.single('replacement_role_id', 'must be another role of this workspace');
      }
      if (replacement) assertCanGrant(actor.permissions, platform.access.permissionsOfRole(replacement.id), `give ${replacement.name} to its members`);
      // Past memberships and invitations keep a foreign key to the role: they move too (to viewer when nothing is chosen).
      replacement ??= platform.roles.findPredefined('viewer');
      if (!replacement) throw new Error('predefined role viewer is missing');
      platform.roles.replaceAndDelete(current.id, actor.tenantId, replacement.id);
      return { role: current, replacementId: wanted, moved: usage.members };
    })
    .immediate();
  platform.access.invalidateMemberships();
  platform.audit.record({
    ...auditedBy(actor),
    action: 'role.delete',
    targetType: 'role',
    targetId: String(roleId),
    before: { name: role.name, parentRoleId: role.parent_role_id, permissions: JSON.parse(role.permissions) as string[] },
    after: { replacementRoleId: replacementId, membersMoved: moved },
  });
  return { moved };
}
