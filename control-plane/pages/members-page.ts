import { msg } from '../../core/i18n/message';
import type { TenantRequestContext } from '../../tenant-runtime/tenant-request-context';
import type { ControlPlane } from '../control-plane';
import { canGrant } from '../roles/grant-rules';
import { presentRoles } from '../roles/present-roles';
import { isOwner } from '../memberships/owner-guard';
import { zonedClock } from '../../core/time/zoned-clock';

/** The team page: each member with what the acting member may do to them, and the day they joined in the workspace's zone. */
export function loadMembersPage(platform: ControlPlane, ctx: TenantRequestContext) {
  const { actor } = ctx;
  const roles = presentRoles(platform, actor.tenantId, actor.permissions);
  const self = platform.memberships.findMemberOfUser(actor.userId, actor.tenantId);
  const clock = zonedClock(ctx.branding.timeZone);
  const listed = platform.memberships.listMembers(actor.tenantId);
  // Ownership goes to a member who is not an owner yet: with nobody such, neither the buttons nor the note about them are shown.
  // (A disabled account receives nothing: transferParties refuses it.)
  const receives = (m: (typeof listed)[number]) => m.user_id !== actor.userId && !isOwner(m) && m.user_status === 'active';
  const mayTransfer = ctx.can('tenant.ownership.transfer') && Boolean(self && isOwner(self)) && listed.some(receives);
  const activeOwners = listed.filter((m) => isOwner(m) && m.user_status === 'active');
  const members = listed.map((m) => {
    // An owner with no other owner whose account is active can be neither removed nor given another role: no form
    // offers it (assertKeepsAnOwner refuses it).
    const lastOwner = isOwner(m) && activeOwners.every((o) => o.user_id === m.user_id);
    return {
      ...m,
      isSelf: m.user_id === actor.userId,
      lastOwner,
      // An owner already owns it: "Make owner" would only demote the acting owner.
      mayReceiveOwnership: mayTransfer && receives(m),
      manageable: !lastOwner && ctx.can('team.manage') && canGrant(actor.permissions, platform.access.permissionsOfRole(m.role_id)),
    };
  });
  return {
    title: msg('Members'),
    members,
    assignable: roles.filter((r) => r.grantable),
    mayTransfer,
    day: (ms: number) => clock.day(ms),
    workspaceName: ctx.branding.displayName,
  };
}
