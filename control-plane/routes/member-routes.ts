import type { Request } from 'express';
import { NotFoundError } from '../../core/errors/app-errors';
import { flash } from '../../core/http/flash';
import { numericIdOrNotFound } from '../../core/http/url-id';
import type { TenantRequestContext } from '../../tenant-runtime/tenant-request-context';
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
      const changed = changeMemberRole(platform, ctx.actor, numericIdOrNotFound(req.params.id), req.body);
      flash(req, `${changed.name} is now ${changed.role_name}.`);
      res.redirect(303, ctx.url('/members'));
    },
  );

  /** The member a URL names, in this tenant (another tenant's membership is not found). */
  const memberOf = (ctx: TenantRequestContext, req: Request) => {
    const member = platform.memberships.findMember(numericIdOrNotFound(req.params.id), ctx.tenant.id);
    if (!member) throw new NotFoundError();
    return member;
  };

  table.post(
    '/members/:id/remove',
    {
      permission: 'team.manage',
      confirm: (ctx, req) => {
        const member = memberOf(ctx, req);
        return {
          title: `Remove ${member.name}?`,
          message: `${member.name} (${member.email}) loses access to ${ctx.branding.displayName} at once. Their work stays.`,
          confirmLabel: 'Remove from the workspace',
          cancelHref: ctx.url('/members'),
        };
      },
    },
    (ctx, req, res) => {
      const removed = removeMember(platform, ctx.actor, numericIdOrNotFound(req.params.id));
      flash(req, `${removed.name} was removed from the workspace.`);
      res.redirect(303, removed.user_id === ctx.actor.userId ? '/tenants' : ctx.url('/members'));
    },
  );

  table.post(
    '/members/:id/transfer-ownership',
    {
      permission: 'tenant.ownership.transfer',
      confirm: (ctx, req) => {
        const member = memberOf(ctx, req);
        return {
          title: `Make ${member.name} the owner?`,
          message: `${member.name} becomes owner of ${ctx.branding.displayName}, and you become an admin. Only an owner can give ownership back.`,
          confirmLabel: 'Transfer ownership',
          cancelHref: ctx.url('/members'),
        };
      },
    },
    (ctx, req, res) => {
      const { to } = transferOwnership(platform, ctx.actor, numericIdOrNotFound(req.params.id));
      flash(req, `${to.name} is now the owner; you are an admin.`);
      res.redirect(303, ctx.url('/members'));
    },
  );
}
