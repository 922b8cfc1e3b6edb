import { msg } from '../../core/i18n/message';
import type { Request } from 'express';
import { flash } from '../../core/http/flash';
import { backToList, returnQuery } from '../../core/http/local-path';
import { NotFoundError } from '../../core/errors/app-errors';
import type { PageLoader, TenantRouteTable } from '../../tenant-runtime/tenant-route-table';
import type { ControlPlane } from '../control-plane';
import { createInvitationSendLimit } from '../auth/invitation-send-limit';
import { inviteMembers, type SentInvitation } from '../invitations/invite-members';
import { resendInvitation, revocableInvitation, revokeInvitation } from '../invitations/manage-invitation';
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

  table.get('/invitations', 'team.invite', (ctx, req, res) => {
    res.render('tenant/invitations', { ...loadInvitationsPage(platform, ctx, takeSent(req, ctx.tenant.id), req.query), values: {}, errors: {} });
  });

  /** A refused form (bad input, or a refusal: an invitation that changed meanwhile) shows the page of the list it was sent from. */
  const invitationsPage = {
    view: 'tenant/invitations',
    load: ((ctx, req) => loadInvitationsPage(platform, ctx, [], returnQuery(req.body?.return, ctx.url('/invitations')))) satisfies PageLoader,
  };

  table.post('/invitations', { permission: 'team.invite', before: [limit], form: invitationsPage }, async (ctx, req, res) => {
    const { sent } = await inviteMembers(platform, ctx.actor, req.body, ctx.branding);
    // The same batch sent again (a double click) sends nothing: the page the first one left in the session shows its links.
    if (sent) showSentOnce(req, ctx.tenant.id, sent);
    res.redirect(303, ctx.url('/invitations'));
  });

  table.post('/invitations/:id/resend', { permission: 'team.invite', before: [limit], form: invitationsPage }, async (ctx, req, res) => {
    const sent = await resendInvitation(platform, ctx.actor, invitationId(req), ctx.branding);
    showSentOnce(req, ctx.tenant.id, [sent]);
    res.redirect(303, backToList(req.body?.return, ctx.url('/invitations')));
  });

  table.post(
    '/invitations/:id/revoke',
    {
      permission: 'team.invite',
      before: [limit],
      form: invitationsPage,
      confirm: (ctx, req) => {
        // Refused before it is asked: a withdrawal that can only be refused is not offered.
        const invitation = revocableInvitation(platform, ctx.actor, invitationId(req));
        return {
          title: msg('Withdraw the invitation to {{email}}?', { email: invitation.email }),
          message: msg('Its link stops working at once. You can invite the address again later.'),
          confirmLabel: msg('Withdraw the invitation'),
          cancelHref: backToList(req.body?.return, ctx.url('/invitations')),
        };
      },
    },
    (ctx, req, res) => {
      const revoked = revokeInvitation(platform, ctx.actor, invitationId(req));
      flash(req, msg('The invitation to {{email}} was withdrawn.', { email: revoked.email }));
      res.redirect(303, backToList(req.body?.return, ctx.url('/invitations')));
    },
  );
}

/**
 * New links are shown once, on the page the POST redirects to (so a refresh sends nothing
 * again): they wait in the session until that page reads them, for this tenant only.
 */
function showSentOnce(req: Request, tenantId: string, sent: SentInvitation[]): void {
  req.session.shownOnce = { kind: 'invitations', tenantId, sent };
}

function takeSent(req: Request, tenantId: string): SentInvitation[] {
  const waiting = req.session.shownOnce as { kind?: string; tenantId?: string; sent?: SentInvitation[] } | undefined;
  if (waiting?.kind !== 'invitations') return [];
  delete req.session.shownOnce;
  return waiting.tenantId === tenantId && Array.isArray(waiting.sent) ? waiting.sent : [];
}
