import { z } from 'zod';
import { msg } from '../../core/i18n/message';
import type { TenantRequestContext } from '../../tenant-runtime/tenant-request-context';
import type { ControlPlane } from '../control-plane';
import { presentRoles } from '../roles/present-roles';
import { customRolesOn } from '../roles/offered-role';
import type { SentInvitation } from '../invitations/invite-members';
import type { InvitationState } from '../invitations/invitation-repository';
import { zonedClock } from '../../core/time/zoned-clock';
import { pagePosition } from '../../core/http/page-query';
import { afterQuery } from '../../core/http/local-path';
import { invitationCursor, parseInvitationCursor } from '../invitations/invitation-position';

/** How many invitations the page lists at once, newest first; the older ones are a link away. */
export const INVITATIONS_PAGE_SIZE = 50;

/** Where the list starts: `?after=<cursor>` from its Next link (a bad value shows the first page). */
const pageSchema = z.object({ after: pagePosition(parseInvitationCursor) });

/** An invitation's state as the list shows it. */
const INVITATION_STATES: Record<InvitationState, string> = {
  pending: msg('pending'),
  accepted: msg('accepted'),
  expired: msg('expired'),
  revoked: msg('revoked'),
};

/**
 * The invitations page: the roles the member may invite with, a page of the tenant's invitations
 * (newest first), links just sent; expiries in the workspace's zone.
 */
export function loadInvitationsPage(platform: ControlPlane, ctx: TenantRequestContext, sent: SentInvitation[] = [], query: Record<string, unknown> = {}) {
  const { actor } = ctx;
  const shownFrom = pageSchema.parse(query).after;
  const after = shownFrom?.position;
  const roles = presentRoles(platform, actor.tenantId, actor.permissions);
  const grantable = new Set(roles.filter((r) => r.grantable).map((r) => r.id));
  // Custom roles the plan no longer includes: invitations holding one can be neither accepted nor resent.
  const outsidePlan = new Set(customRolesOn(platform, actor.tenantId) ? [] : roles.filter((r) => !r.predefined).map((r) => r.id));
  const rows = platform.invitations.pageForTenant(actor.tenantId, INVITATIONS_PAGE_SIZE + 1, { after });
  const shown = rows.slice(0, INVITATIONS_PAGE_SIZE);
  const invitations = shown.map((i) => ({
    ...i,
    mayResend: (i.shown_state === 'pending' || i.shown_state === 'expired') && grantable.has(i.role_id),
    mayRevoke: i.shown_state === 'pending',
    roleOutsidePlan: (i.shown_state === 'pending' || i.shown_state === 'expired') && outsidePlan.has(i.role_id),
  }));
  return {
    title: msg('Invitations'),
    roles: roles.filter((r) => r.grantable),
    invitations,
    // Links to the older invitations, and back to the newest, when they do not fit on one page.
    nextPage: rows.length > INVITATIONS_PAGE_SIZE ? invitationCursor(shown[shown.length - 1]) : undefined,
    firstPage: after !== undefined,
    // This page's query, which its forms send back as `return`: an action on a row comes back here.
    pageQuery: afterQuery(shownFrom?.cursor),
    sent,
    transport: platform.mailer.transport,
    invitationStates: INVITATION_STATES,
    when: zonedClock(ctx.branding.timeZone).format,
  };
}
