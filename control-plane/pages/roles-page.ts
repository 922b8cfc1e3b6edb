import { roleNameValue } from '../roles/predefined-roles';
import { msg } from '../../core/i18n/message';
import { NotFoundError } from '../../core/errors/app-errors';
import type { TenantRequestContext } from '../../tenant-runtime/tenant-request-context';
import type { ControlPlane } from '../control-plane';
import { parentChoices, PERMISSION_ROWS, presentRoles, type RoleView } from '../roles/present-roles';

function rolesOf(platform: ControlPlane, ctx: TenantRequestContext): RoleView[] {
  return presentRoles(platform, ctx.actor.tenantId, ctx.actor.permissions);
}

/** The permission matrix of every role of the tenant. */
export function loadRolesPage(platform: ControlPlane, ctx: TenantRequestContext) {
  return { title: msg('Roles'), roles: rolesOf(platform, ctx), permissionRows: PERMISSION_ROWS };
}

/** The role form: a new role, or an existing one (read-only when predefined or above the actor). */
export function loadRoleForm(platform: ControlPlane, ctx: TenantRequestContext, roleId?: number) {
  const roles = rolesOf(platform, ctx);
  const role = roleId === undefined ? undefined : roles.find((r) => r.id === roleId);
  if (roleId !== undefined && !role) throw new NotFoundError();
  return {
    title: role ? msg('Role: {{name}}', { name: roleNameValue(role.key, role.name) }) : msg('New role'),
    role,
    parents: parentChoices(roles, roleId),
    replacements: roles.filter((r) => r.id !== roleId && r.grantable),
    permissionRows: PERMISSION_ROWS,
    // The role as it is now, with the revision its form sends back (shown again when a save made on an older one is refused).
    current: role ? roleFormValues(role) : undefined,
  };
}

/** The form's values for an existing role. */
export function roleFormValues(role: RoleView) {
  return { name: role.name, description: role.description, parent_role_id: role.parentId ?? '', permissions: [...role.own], revision: String(role.revision) };
}

/** The role form asking for a replacement role before deleting (shown again when the choice is refused). */
export function loadRoleDeleteForm(platform: ControlPlane, ctx: TenantRequestContext, roleId: number) {
  const form = loadRoleForm(platform, ctx, roleId);
  return { ...form, deleting: true, current: roleFormValues(form.role as RoleView) };
}
