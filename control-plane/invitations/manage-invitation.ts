import { ensureTeamRoom } from '../plans/team-limits';
import { roleNameValue } from '../roles/predefined-roles';
import { msg, nested } from '../../core/i18n/message';
import { shownName } from '../tenants/shown-name';
import type { TenantRecord } from '../tenants/tenant-record';
import type { ControlPlane } from '../control-plane';
import { ConflictError, ForbiddenError, NotFoundError } from '../../core/errors/app-errors';
import { auditedBy, type ActingMember } from '../audit/tenant-actor';
import { assertCanGrant } from '../roles/grant-rules';
import { roleOutsidePlan } from '../roles/offered-role';
import { invitationExpiry, invitationUrl, stillPending } from './create-invitation';
import { currentState, InvitationRepository, type InvitationRecord } from './invitation-repository';
import { newInvitationToken } from './invitation-token';
import { sendInvitationMail } from './invitation-mail';
import type { WorkspaceLocale } from '../../core/i18n/workspace-locale';
import type { SentInvitation } from './invite-members';
import { deletedJustNow } from '../audit/repeated-deletion';

const shownNameOf = (tenant: TenantRecord | undefined) => (tenant ? shownName(tenant) : '');

const INVITATION_ID = /^i[0-9a-f]{24}$/;

/** An invitation of the actor's tenant: an id of another tenant's invitation is not found. */
function invitationOf(platform: ControlPlane, actor: ActingMember, id: string): InvitationRecord {
  const invitation = INVITATION_ID.test(id) ? new InvitationRepository(platform.db).findInTenant(id, actor.tenantId) : undefined;
  if (!invitation) throw new NotFoundError();
  return invitation;
}

/**
 * A new token and a fresh expiry for a pending or expired invitation; the old link dies at once. Mailed as inviteMembers does.
 * `whenWritten` runs inside the write of the new link, with it as not yet mailed: the API stores its answer there (decision 024).
 */
export async function resendInvitation(
  platform: ControlPlane,
  actor: ActingMember,
  id: string,
  workspace: WorkspaceLocale,
  whenWritten: (sent: SentInvitation) => void = () => undefined,
): Promise<SentInvitation> {
  const invitation = invitationOf(platform, actor, id);
  const state = currentState(invitation);
  if (state === 'accepted' || state === 'revoked')
    throw new ConflictError(
      msg(state === 'accepted' ? 'This invitation was accepted; send a new one instead.' : 'This invitation was revoked; send a new one instead.'),
    );
  const role = platform.roles.findById(invitation.role_id);
  assertCanGrant(
    actor.permissions,
    platform.access.permissionsOfRole(invitation.role_id),
    role ? msg('invite people as {{role}}', { role: roleNameValue(role.key, role.name) }) : msg('invite people with this role'),
  );
  const { token, hash } = newInvitationToken();
  const expiresAt = invitationExpiry(platform);
  const url = invitationUrl(platform, token);
  // The new link and its audit record in one write, with the rule that one invitation at most is pending per address,
  // and the plan's limit on pending invitations: an expired one made pending again counts as a new one.
  platform.db.write(() => {
    // A custom role the plan dropped since the invitation was sent is not handed out by a new link either (nor by accepting the old one).
    const outsidePlan = roleOutsidePlan(platform, invitation.role_id, actor.tenantId);
    if (outsidePlan)
      throw new ForbiddenError(
        msg(
          'This workspace’s plan no longer includes custom roles, so this invitation’s role ({{role}}) can no longer be given. Revoke it and invite {{email}} with another role.',
          {
            role: outsidePlan.name,
            email: invitation.email,
          },
        ),
      );
    const pending = stillPending(platform, actor.tenantId, invitation.email);
    if (pending && pending.id !== invitation.id)
      throw new ConflictError(msg('{{email}} was invited again since; resend the newer invitation instead.', { email: invitation.email }));
    if (!pending) ensureTeamRoom(platform, actor.tenantId, 'pending_invitations', 1, actor.role?.key);
    if (!new InvitationRepository(platform.db).replaceToken(invitation.id, hash, expiresAt))
      throw new ConflictError(msg('This invitation changed meanwhile. Reload the page.'));
    platform.audit.record({
      ...auditedBy(actor),
      action: 'invitation.resend',
      targetType: 'invitation',
      targetId: invitation.id,
      before: { state, expiresAt: invitation.expires_at },
      after: { state: 'pending', expiresAt },
    });
    whenWritten({ id: invitation.id, email: invitation.email, url, expiresAt, mailed: false });
  });
  const mailed = await sendInvitationMail(platform, {
    tenantId: actor.tenantId,
    invitationId: invitation.id,
    email: invitation.email,
    url,
    expiresAt,
    tenantName: shownNameOf(platform.tenants.findById(actor.tenantId)),
    roleName: role ? roleNameValue(role.key, role.name) : nested('member'),
    inviterName: platform.users.findById(actor.userId)?.name ?? '',
    language: workspace.language,
    timeZone: workspace.timeZone,
  });
  return { id: invitation.id, email: invitation.email, url, expiresAt, mailed };
}

const NOT_REVOCABLE = {
  accepted: msg('This invitation is accepted and can no longer be revoked.'),
  revoked: msg('This invitation is revoked already.'),
  expired: msg('This invitation is expired and can no longer be revoked.'),
};

/**
 * A pending invitation of the actor's tenant, or why it cannot be withdrawn (not found, or accepted,
 * revoked or expired). A confirmation step asks it first, so it never offers a withdrawal that can
 * only be refused.
 */
export function revocableInvitation(platform: ControlPlane, actor: ActingMember, id: string): InvitationRecord {
  return stillRevocable(invitationOf(platform, actor, id));
}

function stillRevocable(invitation: InvitationRecord): InvitationRecord {
  const state = currentState(invitation);
  if (state !== 'pending') throw new ConflictError(NOT_REVOCABLE[state]);
  return invitation;
}

/**
 * Whether the actor withdrew this invitation moments ago, as their revocation record in this tenant
 * says (repeated-deletion.ts): the same withdrawal sent again (a double click, a form or an API call
 * sent again) is answered with the first one instead of a 409 about its own effect.
 */
function revokedJustNow(platform: ControlPlane, actor: ActingMember, invitation: InvitationRecord): boolean {
  if (invitation.state !== 'revoked') return false;
  const asked = { action: 'invitation.revoke', targetType: 'invitation', targetId: invitation.id, actorUserId: actor.userId, tenantId: actor.tenantId };
  return deletedJustNow(platform.db, asked) !== undefined;
}

/**
 * Withdraws a pending invitation: its link then shows that it was withdrawn. The same withdrawal
 * sent again by the same actor moments after, or at once, is answered as done, writing nothing.
 */
export function revokeInvitation(platform: ControlPlane, actor: ActingMember, id: string): InvitationRecord {
  // Read, changed and audited in one write: a repeat sent at once finds the first one's record.
  return platform.db.write(() => {
    const found = invitationOf(platform, actor, id);
    if (revokedJustNow(platform, actor, found)) return found;
    const invitation = stillRevocable(found);
    if (!new InvitationRepository(platform.db).finish(invitation.id, 'revoked'))
      throw new ConflictError(msg('This invitation changed meanwhile. Reload the page.'));
    platform.audit.record({
      ...auditedBy(actor),
      action: 'invitation.revoke',
      targetType: 'invitation',
      targetId: invitation.id,
      before: { state: 'pending', email: invitation.email },
      after: { state: 'revoked' },
    });
    return invitation;
  });
}
