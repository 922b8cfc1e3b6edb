import { z } from 'zod';
import { msg } from '../../core/i18n/message';
import type { TenantRequestContext } from '../../tenant-runtime/tenant-request-context';
import type { ControlPlane } from '../control-plane';
import { canGrant } from '../roles/grant-rules';
import { presentRoles } from '../roles/present-roles';
import { isOwner } from '../memberships/owner-guard';
import { memberCursor, parseMemberCursor } from '../memberships/member-position';
import type { MemberRow } from '../memberships/membership-repository';
import { zonedClock } from '../../core/time/zoned-clock';
import { pagePosition } from '../../core/http/page-query';
import { afterQuery } from '../../core/http/local-path';

/** How many members the team page lists at once (besides the reader's own row, first on the first page); the rest are a link away. */
export const MEMBERS_PAGE_SIZE = 50;

/** Where the page starts: `?after=<cursor>` from its Next link (a bad value shows the first page). */
const pageSchema = z.object({ after: pagePosition(parseMemberCursor) });

/**
 * The team page: a page of the members with what the acting member may do to each, and the day
 * they joined in the workspace's zone. The reader's own row comes first on the first page; the
 * rules that look at the whole team (the last owner, whom ownership may go to) count it all.
 */
export function loadMembersPage(platform: ControlPlane, ctx: TenantRequestContext, query: Record<string, unknown> = {}) {
  const { actor } = ctx;
  const shownFrom = pageSchema.parse(query).after;
  const after = shownFrom?.position;
  const roles = presentRoles(platform, actor.tenantId, actor.permissions);
  const owners = roles.find((r) => r.predefined && r.key === 'owner')?.members ?? 0;
  const everyone = roles.reduce((sum, r) => sum + r.members, 0);
  const self = platform.memberships.findMemberOfUser(actor.userId, actor.tenantId);
  const clock = zonedClock(ctx.branding.timeZone);
  const rows = platform.memberships.pageOfMembers(actor.tenantId, MEMBERS_PAGE_SIZE + 1, { after, exceptUserId: actor.userId });
  const shown = rows.slice(0, MEMBERS_PAGE_SIZE);
  const listed: MemberRow[] = self && !after ? [self, ...shown] : shown;
  // Ownership goes to a member who is not an owner yet: with nobody such, neither the buttons nor the note about them are shown.
  const selfOwns = Boolean(self && isOwner(self));
  const mayTransfer = ctx.can('tenant.ownership.transfer') && selfOwns && everyone > owners;
  // Owners who can act: an owner whose account is disabled manages nothing (assertKeepsAnOwner counts the same).
  const activeOwners = platform.memberships.countActiveOwners(actor.tenantId);
  const members = listed.map((m) => {
    // An owner with no other owner whose account is active can be neither removed nor given another role: no form
    // offers it (assertKeepsAnOwner refuses it).
    const lastOwner = isOwner(m) && activeOwners - (m.user_status === 'active' ? 1 : 0) === 0;
    return {
      ...m,
      isSelf: m.user_id === actor.userId,
      lastOwner,
      // An owner already owns it: "Make owner" would only demote the acting owner.
      // A disabled account receives nothing (transferParties refuses it).
      mayReceiveOwnership: mayTransfer && m.user_id !== actor.userId && !isOwner(m) && m.user_status === 'active',
      manageable: !lastOwner && ctx.can('team.manage') && canGrant(actor.permissions, platform.access.permissionsOfRole(m.role_id)),
    };
  });
  return {
    title: msg('Members'),
    members,
    assignable: roles.filter((r) => r.grantable),
    mayTransfer,
    // Links to the next page, and back to the first, when the team does not fit on one.
    nextPage: rows.length > MEMBERS_PAGE_SIZE ? memberCursor(shown[shown.length - 1]) : undefined,
    firstPage: after !== undefined,
    // This page's query, which its forms send back as `return`: an action on a row comes back here.
    pageQuery: afterQuery(shownFrom?.cursor),
    day: (ms: number) => clock.day(ms),
    workspaceName: ctx.branding.displayName,
  };
}
