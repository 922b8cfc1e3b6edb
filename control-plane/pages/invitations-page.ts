import { msg } from '../../core/i18n/message';
import type { TenantRequestContext } from '../../tenant-runtime/tenant-request-context';
import type { ControlPlane } from '../control-plane';
import { presentRoles } from '../roles/present-roles';
import type { SentInvitation } from '../invitations/invite-members';
import type { InvitationState } from '../invitations/invitation-repository';
import { zonedClock } from '../../core/time/zoned-clock';

/** An invitation's state as the list shows it. */
const INVITATION_STATES: Record<InvitationState, string> = {
  pending: msg('pending'),
  accepted: msg('accepted'),
  expired: msg('expired'),
  revoked: msg('revoked'),
};

/** The invitations page: the roles the member may invite with, the tenant's invitations, links just sent; expiries in the workspace's zone. */
export function loadInvitationsPage(platform: ControlPlane, ctx: TenantRequestContext, sent: SentInvitation[] = []) {
  const { actor } = ctx;
  const roles = presentRoles(platform, actor.tenantId, actor.permissions);
  const grantable = new Set(roles.filter((r) => r.grantable).map((r) => r.id));
  const invitations = platform.invitations.listForTenant(actor.tenantId).map((i) => ({
    ...i,
    mayResend: (i.shown_state === 'pending' || i.shown_state === 'expired') && grantable.has(i.role_id),
    mayRevoke: i.shown_state === 'pending',
  }));
  return {
    title: msg('Invitations'),
    roles: roles.filter((r) => r.grantable),
    invitations,
    sent,
    transport: platform.mailer.transport,
    invitationStates: INVITATION_STATES,
    when: zonedClock(ctx.branding.timeZone).format,
  };
}
