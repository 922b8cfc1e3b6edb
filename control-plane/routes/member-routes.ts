import type { Request } from 'express';
import type { Platform } from '../../app/create-platform';
import { formView } from '../../core/http/form-view';
import { canGrant } from '../roles/grant-rules';
import { presentRoles } from '../roles/present-roles';
import { isOwner } from '../memberships/owner-guard';
import { changeMemberRole } from '../memberships/change-member-role';
import { removeMember } from '../memberships/remove-member';
import { transferOwnership } from '../memberships/transfer-ownership';
import type { TenantRouteTable } from '../../tenant-runtime/tenant-route-table';
import { actorOf, numericParam } from '../../tenant-runtime/request-actor';

/** The team page's locals: each member with what the acting member may do to them. */
function membersPage(platform: Platform, req: Request) {
  const actor = actorOf(req);
  const roles = presentRoles(platform, actor.tenantId, actor.permissions);
  const self = platform.memberships.findMemberOfUser(actor.userId, actor.tenantId);
  const mayTransfer = actor.permissions.has('tenant.ownership.transfer') && Boolean(self && isOwner(self));
  const members = platform.memberships.listMembers(actor.tenantId).map((m) => ({
    ...m,
    isSelf: m.user_id === actor.userId,
    manageable: actor.permissions.has('team.manage') && canGrant(actor.permissions, platform.access.permissionsOfRole(m.role_id)),
  }));
  return { title: 'Members', members, assignable: roles.filter((r) => r.grantable), mayTransfer };
}

/** Members: everyone with team.view reads the list; team.manage changes roles and removes; an owner transfers ownership. */
export function memberRoutes(table: TenantRouteTable, platform: Platform): void {
  const backToList = (req: Request) => `/t/${req.tenant?.slug}/members`;

  table.get('/members', 'team.view', (req, res) => {
    res.render('tenant/members', { ...membersPage(platform, req), values: {}, errors: {} });
  });

  table.post(
    '/members/:id/role',
    'team.manage',
    (req, res, next) => formView('tenant/members', membersPage(platform, req))(req, res, next),
    (req, res) => {
      changeMemberRole(platform, actorOf(req), numericParam(req), req.body);
      res.redirect(303, backToList(req));
    },
  );

  table.post('/members/:id/remove', 'team.manage', (req, res) => {
    const removed = removeMember(platform, actorOf(req), numericParam(req));
    res.redirect(303, removed.user_id === req.user?.id ? '/tenants' : backToList(req));
  });

  table.post('/members/:id/transfer-ownership', 'tenant.ownership.transfer', (req, res) => {
    transferOwnership(platform, actorOf(req), numericParam(req));
    res.redirect(303, backToList(req));
  });
}
