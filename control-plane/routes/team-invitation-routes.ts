import type { Request } from 'express';
import { NotFoundError } from '../../core/errors/app-errors';
import type { TenantRouteTable } from '../../tenant-runtime/tenant-route-table';
import type { ControlPlane } from '../control-plane';
import { createInvitationSendLimit } from '../auth/invitation-send-limit';
import { inviteMembers } from '../invitations/invite-members';
import { resendInvitation, revokeInvitation } from '../invitations/manage-invitation';
import { loadInvitationsPage } from '../pages/invitations-page';

function invitationId(req: Request): string {
  const id = req.params.id;
  if (typeof id !== 'string') throw new NotFoundError();
  return id;
}

/**
 * Invitations of the URL's tenant: invite, resend, revoke (team.invite). Every id is looked
 * up within the tenant, so another tenant's invitation is simply not found. Writes are
 * rate-limited per member.
 */
export function teamInvitationRoutes(table: TenantRouteTable, platform: ControlPlane): void {
  const limit = createInvitationSendLimit();

  table.get('/invitations', 'team.invite', (ctx, _req, res) => {
    res.render('tenant/invitations', { ...loadInvitationsPage(platform, ctx), values: {}, errors: {} });
  });

  table.post(
    '/invitations',
    { permission: 'team.invite', before: [limit], form: { view: 'tenant/invitations', load: (ctx) => loadInvitationsPage(platform, ctx) } },
    async (ctx, req, res) => {
      const sent = await inviteMembers(platform, ctx.actor, req.body);
      // The links are shown this once (and mailed); only their hashes are stored.
      res.status(201).render('tenant/invitations', { ...loadInvitationsPage(platform, ctx, sent), values: {}, errors: {} });
    },
  );

  table.post('/invitations/:id/resend', { permission: 'team.invite', before: [limit] }, async (ctx, req, res) => {
    const sent = await resendInvitation(platform, ctx.actor, invitationId(req));
    res.render('tenant/invitations', { ...loadInvitationsPage(platform, ctx, [sent]), values: {}, errors: {} });
  });

  table.post('/invitations/:id/revoke', { permission: 'team.invite', before: [limit] }, (ctx, req, res) => {
    revokeInvitation(platform, ctx.actor, invitationId(req));
    res.redirect(303, ctx.url('/invitations'));
  });
}
