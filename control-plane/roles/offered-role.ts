import { msg } from '../../core/i18n/message';
import { ValidationError } from '../../core/errors/app-errors';
import type { ControlPlane } from '../control-plane';
import type { RoleRecord } from './role-repository';

/** Whether the tenant's plan lets its members give custom roles (the `custom_roles` feature). */
export function customRolesOn(platform: Pick<ControlPlane, 'planBook'>, tenantId: string): boolean {
  return platform.planBook.entitlementsOf(tenantId).features.custom_roles;
}

/**
 * A role of the tenant that may be given now (assigned or invited with): predefined roles
 * always, the tenant's custom roles only while its plan includes them. Anything else is the
 * same 400 as a role that does not exist, naming the field.
 */
export function offeredRole(platform: Pick<ControlPlane, 'roles' | 'planBook'>, roleId: number, tenantId: string): RoleRecord {
  const role = platform.roles.findForTenant(roleId, tenantId);
  if (!role || (!role.is_predefined && !customRolesOn(platform, tenantId))) throw ValidationError.single('role_id', msg('must be one of the roles offered'));
  return role;
}
