import { PREDEFINED_ROLE_TEXT } from '../roles/predefined-roles';
import { msg, nested } from '../../core/i18n/message';
import { flash } from '../../core/http/flash';
import { backToList, returnQuery } from '../../core/http/local-path';
import { numericIdOrNotFound } from '../../core/http/url-id';
import type { PageLoader, TenantRouteTable } from '../../tenant-runtime/tenant-route-table';
import type { ControlPlane } from '../control-plane';
import { changeMemberRole } from '../memberships/change-member-role';
import { removableMember, removedThemselvesJustNow, removeMember } from '../memberships/remove-member';
import { transferOwnership, transferParties } from '../memberships/transfer-ownership';
import { loadMembersPage } from '../pages/members-page';
import type { MemberRow } from '../memberships/membership-repository';

/** Members: everyone with team.view reads the list; team.manage changes roles and removes; an owner transfers ownership. */
export function memberRoutes(table: TenantRouteTable, platform: ControlPlane): void {
  /** A refused form (bad input, or a refusal: the last owner, a role it cannot give) shows the page of the list it was sent from. */
  const membersPage = {
    view: 'tenant/members',
    load: ((ctx, req) => loadMembersPage(platform, ctx, returnQuery(req.body?.return, ctx.url('/members')))) satisfies PageLoader,
  };

  table.get('/members', 'team.view', (ctx, req, res) => {
    res.render('tenant/members', { ...loadMembersPage(platform, ctx, req.query), values: {}, errors: {} });
  });

  table.post('/members/:id/role', { permission: 'team.manage', form: membersPage }, (ctx, req, res) => {
    const changed = changeMemberRole(platform, ctx.actor, numericIdOrNotFound(req.params.id), req.body);
    flash(
      req,
      msg('{{name}} is now {{role}}.', {
        name: changed.name,
        role: PREDEFINED_ROLE_TEXT[changed.role_key] ? nested(PREDEFINED_ROLE_TEXT[changed.role_key].name) : changed.role_name,
      }),
    );
    res.redirect(303, backToList(req.body?.return, ctx.url('/members')));
  });

  const removedMessage = (member: MemberRow) => msg('{{name}} was removed from the workspace.', { name: member.name });
  table.post(
    '/members/:id/remove',
    {
      permission: 'team.manage',
      form: membersPage,
      // Removing oneself sent again (a double click): no longer let in, they land where the first one sent them.
      outsider: (req, res, { user, tenant }) => {
        const removed = removedThemselvesJustNow(platform, user.id, tenant.id, req.params.id);
        if (!removed) return false;
        flash(req, removedMessage(removed));
        res.redirect(303, '/tenants');
        return true;
      },
      confirm: (ctx, req) => {
        // Refused before it is asked: a removal that can only be refused is not offered.
        const member = removableMember(platform, ctx.actor, numericIdOrNotFound(req.params.id));
        return {
          title: msg('Remove {{name}}?', { name: member.name }),
          message: msg('{{name}} ({{email}}) loses access to {{workspace}} at once. Their work stays.', {
            name: member.name,
            email: member.email,
            workspace: ctx.branding.displayName,
          }),
          confirmLabel: msg('Remove from the workspace'),
          cancelHref: backToList(req.body?.return, ctx.url('/members')),
        };
      },
    },
    (ctx, req, res) => {
      const removed = removeMember(platform, ctx.actor, numericIdOrNotFound(req.params.id));
      flash(req, removedMessage(removed));
      res.redirect(303, removed.user_id === ctx.actor.userId ? '/tenants' : backToList(req.body?.return, ctx.url('/members')));
    },
  );

  table.post(
    '/members/:id/transfer-ownership',
    {
      permission: 'tenant.ownership.transfer',
      form: membersPage,
      confirm: (ctx, req) => {
        // Refused before it is asked: a transfer that can only be refused is not offered.
        const { to: member } = transferParties(platform, ctx.actor, numericIdOrNotFound(req.params.id));
        return {
          title: msg('Make {{name}} the owner?', { name: member.name }),
          message: msg('{{name}} becomes owner of {{workspace}}, and you become an admin. Only an owner can give ownership back.', {
            name: member.name,
            workspace: ctx.branding.displayName,
          }),
          confirmLabel: msg('Transfer ownership'),
          cancelHref: backToList(req.body?.return, ctx.url('/members')),
        };
      },
    },
    (ctx, req, res) => {
      const { to } = transferOwnership(platform, ctx.actor, numericIdOrNotFound(req.params.id));
      flash(req, msg('{{name}} is now the owner; you are an admin.', { name: to.name }));
      res.redirect(303, backToList(req.body?.return, ctx.url('/members')));
    },
  );
}
