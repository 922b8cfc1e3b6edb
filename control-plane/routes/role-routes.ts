import { numericIdOrNotFound } from '../../core/http/url-id';
import { flash } from '../../core/http/flash';
import { parseInput } from '../../core/http/parse-input';
import { revisionFormSchema } from '../../core/http/revision-form';
import { msg } from '../../core/i18n/message';
import type { RouteSpec, TenantRouteTable } from '../../tenant-runtime/tenant-route-table';
import type { ControlPlane } from '../control-plane';
import { createCustomRole, updateCustomRole } from '../roles/save-custom-role';
import { deleteCustomRole } from '../roles/delete-custom-role';
import type { RoleView } from '../roles/present-roles';
import { loadRoleDeleteForm, loadRoleForm, loadRolesPage, roleFormValues } from '../pages/roles-page';

/** Every role page: behind roles.manage, and only on plans with custom roles. */
const CUSTOM_ROLES = { permission: 'roles.manage', feature: 'custom_roles' } as const satisfies RouteSpec;

/** Custom roles: the permission matrix, and create / edit / delete (all behind roles.manage). */
export function roleRoutes(table: TenantRouteTable, platform: ControlPlane): void {
  table.get('/roles', CUSTOM_ROLES, (ctx, _req, res) => {
    res.render('tenant/roles', loadRolesPage(platform, ctx));
  });

  table.get('/roles/new', CUSTOM_ROLES, (ctx, _req, res) => {
    res.render('tenant/role-form', { ...loadRoleForm(platform, ctx), values: { permissions: [] }, errors: {} });
  });

  table.post('/roles', { ...CUSTOM_ROLES, form: { view: 'tenant/role-form', load: (ctx) => loadRoleForm(platform, ctx) } }, (ctx, req, res) => {
    const role = createCustomRole(platform, ctx.actor, req.body);
    flash(req, msg('The role {{name}} was created.', { name: role.name }));
    res.redirect(303, ctx.url('/roles'));
  });

  table.get('/roles/:id', CUSTOM_ROLES, (ctx, req, res) => {
    const form = loadRoleForm(platform, ctx, numericIdOrNotFound(req.params.id));
    res.render('tenant/role-form', { ...form, values: roleFormValues(form.role as RoleView), errors: {} });
  });

  table.post(
    '/roles/:id',
    { ...CUSTOM_ROLES, form: { view: 'tenant/role-form', load: (ctx, req) => loadRoleForm(platform, ctx, numericIdOrNotFound(req.params.id)) } },
    (ctx, req, res) => {
      const { revision } = parseInput(revisionFormSchema, req.body);
      const role = updateCustomRole(platform, ctx.actor, numericIdOrNotFound(req.params.id), req.body, { revision });
      flash(req, msg('The role {{name}} was saved.', { name: role.name }));
      res.redirect(303, ctx.url('/roles'));
    },
  );

  table.post(
    '/roles/:id/delete',
    {
      ...CUSTOM_ROLES,
      form: { view: 'tenant/role-form', load: (ctx, req) => loadRoleDeleteForm(platform, ctx, numericIdOrNotFound(req.params.id)) },
    },
    (ctx, req, res) => {
      const deleted = deleteCustomRole(platform, ctx.actor, numericIdOrNotFound(req.params.id), req.body);
      flash(req, msg('The role {{name}} was deleted.', { name: deleted.name }));
      res.redirect(303, ctx.url('/roles'));
    },
  );
}
