import type { Request } from 'express';
import type { Platform } from '../../app/create-platform';
import { NotFoundError } from '../../core/errors/app-errors';
import { formView } from '../../core/http/form-view';
import { createCustomRole, updateCustomRole } from '../roles/save-custom-role';
import { deleteCustomRole } from '../roles/delete-custom-role';
import { parentChoices, PERMISSION_ROWS, presentRoles, type RoleView } from '../roles/present-roles';
import type { TenantRouteTable } from '../../tenant-runtime/tenant-route-table';
import { actorOf, numericParam } from '../../tenant-runtime/request-actor';

function rolesOf(platform: Platform, req: Request): RoleView[] {
  const actor = actorOf(req);
  return presentRoles(platform, actor.tenantId, actor.permissions);
}

/** The locals of the role form: a new role, or an existing one (read-only when predefined or above the actor). */
function formLocals(platform: Platform, req: Request, roleId?: number) {
  const roles = rolesOf(platform, req);
  const role = roleId === undefined ? undefined : roles.find((r) => r.id === roleId);
  if (roleId !== undefined && !role) throw new NotFoundError();
  return {
    title: role ? `Role: ${role.name}` : 'New role',
    role,
    parents: parentChoices(roles, roleId),
    replacements: roles.filter((r) => r.id !== roleId && r.grantable),
    permissionRows: PERMISSION_ROWS,
  };
}

function formValues(role: RoleView) {
  return { name: role.name, description: role.description, parent_role_id: role.parentId ?? '', permissions: [...role.own] };
}

/** Custom roles: the permission matrix, and create / edit / delete (all behind roles.manage). */
export function roleRoutes(table: TenantRouteTable, platform: Platform): void {
  table.get('/roles', 'roles.manage', (req, res) => {
    res.render('tenant/roles', { title: 'Roles', roles: rolesOf(platform, req), permissionRows: PERMISSION_ROWS });
  });

  table.get('/roles/new', 'roles.manage', (req, res) => {
    res.render('tenant/role-form', { ...formLocals(platform, req), values: { permissions: [] }, errors: {} });
  });

  table.post(
    '/roles',
    'roles.manage',
    (req, res, next) => formView('tenant/role-form', formLocals(platform, req))(req, res, next),
    (req, res) => {
      createCustomRole(platform, actorOf(req), req.body);
      res.redirect(303, `/t/${req.tenant?.slug}/roles`);
    },
  );

  table.get('/roles/:id', 'roles.manage', (req, res) => {
    const locals = formLocals(platform, req, numericParam(req));
    res.render('tenant/role-form', { ...locals, values: formValues(locals.role as RoleView), errors: {} });
  });

  table.post(
    '/roles/:id',
    'roles.manage',
    (req, res, next) => formView('tenant/role-form', formLocals(platform, req, numericParam(req)))(req, res, next),
    (req, res) => {
      updateCustomRole(platform, actorOf(req), numericParam(req), req.body);
      res.redirect(303, `/t/${req.tenant?.slug}/roles`);
    },
  );

  table.post(
    '/roles/:id/delete',
    'roles.manage',
    (req, res, next) => {
      const locals = formLocals(platform, req, numericParam(req));
      formView('tenant/role-form', { ...locals, deleting: true, current: formValues(locals.role as RoleView) })(req, res, next);
    },
    (req, res) => {
      deleteCustomRole(platform, actorOf(req), numericParam(req), req.body);
      res.redirect(303, `/t/${req.tenant?.slug}/roles`);
    },
  );
}
