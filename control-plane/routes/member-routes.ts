import { numericIdOrNotFound } from '../../core/http/url-id';
import type { TenantRouteTable } from '../../tenant-runtime/tenant-route-table';
import type { ControlPlane } from '../control-plane';
import { changeMemberRole } from '../memberships/change-member-role';
import { removeMember } from '../memberships/remove-member';
import { transferOwnership } from '../memberships/transfer-ownership';
import { loadMembersPage } from '../pages/members-page';

/** Members: everyone with team.view reads the list; team.manage changes roles and removes; an owner transfers ownership. */
export function memberRoutes(table: TenantRouteTable, platform: ControlPlane): void {
  table.get('/members', 'team.view', (ctx, _req, res) => {
    res.render('tenant/members', { ...loadMembersPage(platform, ctx), values: {}, errors: {} });
  });

  table.post(
    '/members/:id/role',
    { permission: 'team.manage', form: { view: 'tenant/members', load: (ctx) => loadMembersPage(platform, ctx) } },
    (ctx, req, res) => {
      changeMemberRole(platform, ctx.actor, numericIdOrNotFound(req.params.id), req.body);
      res.redirect(303, ctx.url('/members'));
    },
  );

  table.post('/members/:id/remove', 'team.manage', (ctx, req, res) => {
    const removed = removeMember(platform, ctx.actor, numericIdOrNotFound(req.params.id));
    res.redirect(303, removed.user_id === ctx.actor.userId ? '/tenants' : ctx.url('/members'));
  });

  table.post('/members/:id/transfer-ownership', 'tenant.ownership.transfer', (ctx, req, res) => {
    transferOwnership(platform, ctx.actor, numericIdOrNotFound(req.params.id));
    res.redirect(303, ctx.url('/members'));
  });
}
