import { msg } from '../../core/i18n/message';
import { ValidationError } from '../../core/errors/app-errors';
import type { ControlPlane } from '../control-plane';
import type { RoleRecord } from './role-repository';

/** Whether the tenant's plan lets its members give custom roles (the `custom_roles` feature). */
export function customRolesOn(platform: Pick<ControlPlane, 'planBook'>, tenantId: string): boolean {
  return platform.planBook.entitlementsOf(tenantId).features.custom_roles;
}

/** Whether the tenant's plan lets its role be given now: a predefined role always, a custom role while the plan includes custom roles. */
export function givenUnderPlan(platform: Pick<ControlPlane, 'planBook'>, role: Pick<RoleRecord, 'is_predefined'>, tenantId: string): boolean {
  return Boolean(role.is_predefined) || customRolesOn(platform, tenantId);
}

/**
 * The tenant's role when its plan no longer lets it be given (a custom role after a downgrade),
 * else undefined: what a pending invitation made with that role is refused for when it is accepted
 * or resent, as the plan is when the invitation is used, not when it was sent.
 */
export function roleOutsidePlan(platform: Pick<ControlPlane, 'roles' | 'planBook'>, roleId: number, tenantId: string): RoleRecord | undefined {
  const role = platform.roles.findForTenant(roleId, tenantId);
  return role && !givenUnderPlan(platform, role, tenantId) ? role : undefined;
}

/**
 * A role of the tenant that may be given now (assigned or invited with): predefined roles
 * always, the tenant's custom roles only while its plan includes them. Anything else is the
 * same 400 as a role that does not exist, naming the field.
 */
export function offeredRole(platform: Pick<ControlPlane, 'roles' | 'planBook'>, roleId: number, tenantId: string): RoleRecord {
  const role = platform.roles.findForTenant(roleId, tenantId);
  if (!role || !givenUnderPlan(platform, role, tenantId)) throw ValidationError.single('role_id', msg('must be one of the roles offered'));
  return role;
}
