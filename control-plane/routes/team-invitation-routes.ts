import type { Request } from 'express';
import type { Platform } from '../../app/create-platform';
import { NotFoundError } from '../../core/errors/app-errors';
import { formView } from '../../core/http/form-view';
import { createInvitationSendLimit } from '../auth/invitation-send-limit';
import { presentRoles } from '../roles/present-roles';
import { InvitationRepository } from '../invitations/invitation-repository';
import { inviteMembers, type SentInvitation } from '../invitations/invite-members';
import { resendInvitation, revokeInvitation } from '../invitations/manage-invitation';
import type { TenantRouteTable } from '../../tenant-runtime/tenant-route-table';
import { actorOf } from '../../tenant-runtime/request-actor';

function invitationsPage(platform: Platform, req: Request, sent: SentInvitation[] = []) {
  const actor = actorOf(req);
  const roles = presentRoles(platform, actor.tenantId, actor.permissions);
  const grantable = new Set(roles.filter((r) => r.grantable).map((r) => r.id));
  const invitations = new InvitationRepository(platform.db)
    .listForTenant(actor.tenantId)
    .map((i) => ({ ...i, mayResend: (i.shown_state === 'pending' || i.shown_state === 'expired') && grantable.has(i.role_id), mayRevoke: i.shown_state === 'pending' }));
  return { title: 'Invitations', roles: roles.filter((r) => r.grantable), invitations, sent, transport: platform.mailer.transport };
}

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
export function teamInvitationRoutes(table: TenantRouteTable, platform: Platform): void {
  const limit = createInvitationSendLimit();

  table.get('/invitations', 'team.invite', (req, res) => {
    res.render('tenant/invitations', { ...invitationsPage(platform, req), values: {}, errors: {} });
  });

  table.post(
    '/invitations',
    'team.invite',
    limit,
    (req, res, next) => formView('tenant/invitations', invitationsPage(platform, req))(req, res, next),
    async (req, res) => {
      const sent = await inviteMembers(platform, actorOf(req), req.body);
      // The links are shown this once (and mailed); only their hashes are stored.
      res.status(201).render('tenant/invitations', { ...invitationsPage(platform, req, sent), values: {}, errors: {} });
    },
  );

  table.post('/invitations/:id/resend', 'team.invite', limit, async (req, res) => {
    const sent = await resendInvitation(platform, actorOf(req), invitationId(req));
    res.render('tenant/invitations', { ...invitationsPage(platform, req, [sent]), values: {}, errors: {} });
  });

  table.post('/invitations/:id/revoke', 'team.invite', limit, (req, res) => {
    revokeInvitation(platform, actorOf(req), invitationId(req));
    res.redirect(303, `/t/${req.tenant?.slug}/invitations`);
  });
}

