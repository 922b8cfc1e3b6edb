import { ensureTeamRoom } from '../plans/team-limits';
import { msg } from '../../core/i18n/message';
import { shownName } from '../tenants/shown-name';
import { roleOutsidePlan } from '../roles/offered-role';
import { z } from 'zod';
import type { ControlPlane } from '../control-plane';
import { AppError, NotFoundError } from '../../core/errors/app-errors';
import { parseInput } from '../../core/http/parse-input';
import { hashPassword } from '../auth/password-hasher';
import { nameSchema, passwordSchema } from '../users/password-rules';
import type { SessionUser, UserRecord } from '../users/user-record';
import type { TenantRecord } from '../tenants/tenant-record';
import { currentState, type InvitationRecord } from './invitation-repository';
import { hashInvitationToken, TOKEN_PATTERN } from './invitation-token';
import { joinTenant } from '../memberships/join-tenant';

/** Why an invitation link cannot be used, each with its own page. */
export class InvitationUnusableError extends AppError {
  constructor(
    readonly reason: 'expired' | 'revoked' | 'accepted' | 'replaced' | 'wrong_email' | 'sign_in' | 'closed' | 'role_not_in_plan',
    message: string,
  ) {
    super(message, `invitation_${reason}`, STATUS_OF[reason] ?? 410);
  }
}

const STATUS_OF: Partial<Record<InvitationUnusableError['reason'], number>> = { sign_in: 409, closed: 503, role_not_in_plan: 403 };

/** Statuses of a workspace closed for a while (it opens again): its invitations wait, they are not void. */
const CLOSED_FOR_NOW = new Set(['suspended', 'maintenance', 'damaged']);

/**
 * Why a workspace takes no one in through an invitation now: closed for a while (its invitations
 * hold until they expire: the link opens again with it), or gone (archived, purged: no link is valid).
 */
function notTakingMembers(tenant: TenantRecord | undefined): AppError | undefined {
  if (tenant?.status === 'active') return undefined;
  if (tenant && CLOSED_FOR_NOW.has(tenant.status))
    return new InvitationUnusableError(
      'closed',
      msg('{{name}} is closed for now. Your invitation still holds until it expires: open this link again once the workspace is open.', {
        name: shownName(tenant),
      }),
    );
  return new NotFoundError(msg('This invitation link is not valid.'));
}

/**
 * Why the invitation's role cannot be given now: a custom role the workspace's plan no longer
 * includes (downgraded since it was sent). The invitation stays pending, nothing is written, and
 * the invitee is told to ask for a new one: accepting with another role would surprise the admin
 * who chose it.
 */
function roleNoLongerGiven(platform: ControlPlane, invitation: InvitationRecord, tenant: TenantRecord): AppError | undefined {
  const role = roleOutsidePlan(platform, invitation.role_id, invitation.tenant_id);
  if (!role) return undefined;
  return new InvitationUnusableError(
    'role_not_in_plan',
    msg(
      'The plan of {{name}} no longer includes custom roles, so the role this invitation gives ({{role}}) cannot be given. Ask an administrator of {{name}} to invite you again.',
      {
        name: shownName(tenant),
        role: role.name,
      },
    ),
  );
}

export interface OpenInvitation {
  invitation: InvitationRecord;
  tenant: { id: string; slug: string; name: string };
  /** The role's key (a predefined role's name is shown translated) and stored name. */
  roleKey: string;
  roleName: string;
  existingUser: boolean;
}

/** Finds the invitation behind a link and checks it can still be used; changes nothing. */
export function openInvitation(platform: ControlPlane, token: unknown): OpenInvitation {
  if (typeof token !== 'string' || !TOKEN_PATTERN.test(token)) throw new NotFoundError(msg('This invitation link is not valid.'));
  const invitation = platform.invitations.findByTokenHash(hashInvitationToken(token));
  const tenant = invitation ? platform.tenants.findById(invitation.tenant_id) : undefined;
  if (!invitation || !tenant) throw new NotFoundError(msg('This invitation link is not valid.'));
  const refusal = whyUnusable(invitation, invitation.token_hash) ?? notTakingMembers(tenant) ?? roleNoLongerGiven(platform, invitation, tenant);
  if (refusal) throw refusal;
  const role = platform.roles.findById(invitation.role_id);
  return {
    invitation,
    tenant: { id: tenant.id, slug: tenant.slug, name: shownName(tenant) },
    roleKey: role?.key ?? '',
    roleName: role?.name ?? '',
    existingUser: Boolean(platform.users.findByEmail(invitation.email)),
  };
}

/** Why the invitation, as it is now, cannot be accepted through the link whose token hashes to `tokenHash`; undefined when it can. */
function whyUnusable(invitation: InvitationRecord, tokenHash: string): InvitationUnusableError | undefined {
  if (invitation.state === 'accepted') return new InvitationUnusableError('accepted', msg('This invitation has already been used.'));
  if (invitation.state === 'revoked') return new InvitationUnusableError('revoked', msg('This invitation was withdrawn. Ask for a new one.'));
  if (invitation.token_hash !== tokenHash) return new InvitationUnusableError('replaced', msg('This link was replaced by a newer one; use the latest email.'));
  if (currentState(invitation) === 'expired') return new InvitationUnusableError('expired', msg('This invitation has expired. Ask for a new one.'));
  return undefined;
}

export const newMemberSchema = z.object({ name: nameSchema, password: passwordSchema });

/**
 * Accepts an invitation: a signed-in user with the invited email joins; a new person gives a
 * name and password, becomes a user and joins. Single use: the state flip is the guard.
 */
export async function acceptInvitation(
  platform: ControlPlane,
  token: unknown,
  as: { user?: SessionUser; input?: unknown; ip?: string | null; userAgent?: string | null },
): Promise<{ userId: string; tenantSlug: string; created?: UserRecord }> {
  const open = openInvitation(platform, token);
  const { invitation } = open;
  let newUser: { name: string; passwordHash: string } | undefined;
  if (as.user) {
    if (as.user.email !== invitation.email)
      throw new InvitationUnusableError('wrong_email', msg('This invitation was sent to another email address. Sign in with that address to accept it.'));
  } else {
    if (open.existingUser) throw new InvitationUnusableError('sign_in', msg('You already have an account: sign in with this email address to accept.'));
    const { name, password } = parseInput(newMemberSchema, as.input);
    newUser = { name, passwordHash: await hashPassword(password) };
  }
  // One transaction: the state flip is the single-use guard, and the new user, the membership and
  // the audit record land with it or not at all. It matches the invitation as opened (its link,
  // still pending, unexpired): one accepted, revoked or resent while the password was hashed is
  // read again and refused for that reason.
  const accepted = platform.db.write(() => {
    // A workspace suspended or archived while the password was hashed takes no one in, as its link would not have opened.
    const tenant = platform.tenants.findById(invitation.tenant_id);
    const closed = notTakingMembers(tenant);
    if (closed) throw closed;
    const opened = platform.invitations.acceptOpened(invitation.id, invitation.token_hash);
    if (!opened) {
      const now = platform.invitations.findInTenant(invitation.id, invitation.tenant_id);
      throw (now && whyUnusable(now, invitation.token_hash)) ?? new NotFoundError(msg('This invitation link is not valid.'));
    }
    // The role it gives as committed now: its custom role deleted meanwhile moved it to the replacement.
    const roleId = opened.role_id;
    // The plan as committed now (the access cache checks data_version under the lock): one
    // downgraded while the password was hashed gives no custom role either (the acceptance rolls back).
    const outsidePlan = roleNoLongerGiven(platform, { ...invitation, role_id: roleId }, tenant as TenantRecord);
    if (outsidePlan) throw outsidePlan;
    let created: UserRecord | undefined;
    if (newUser) {
      if (platform.users.findByEmail(invitation.email))
        throw new InvitationUnusableError('sign_in', msg('You already have an account: sign in with this email address to accept.'));
      created = platform.users.insert({ email: invitation.email, name: newUser.name, passwordHash: newUser.passwordHash, isSuperAdmin: false });
    }
    const userId = created?.id ?? (as.user as SessionUser).id;
    // Someone who became a member meanwhile keeps the role they have: accepting never demotes (nor strips the last owner).
    const already = platform.memberships.findActive(userId, invitation.tenant_id);
    // Kept with the acceptance: the tenant's webhooks hear of it (and of the join) once it commits.
    platform.tenantEvents.emit(invitation.tenant_id, {
      type: 'invitation.accepted',
      data: { invitation: { id: invitation.id, email: invitation.email }, user: { id: userId, email: invitation.email }, roleId },
    });
    if (!already) {
      // The plan's member limit, under the same lock as the membership (the invitation stays pending when refused).
      ensureTeamRoom(platform, invitation.tenant_id, 'members', 1, undefined);
      joinTenant(platform, { userId, email: invitation.email, tenantId: invitation.tenant_id, roleId }, 'invitation');
    }
    platform.audit.record({
      action: 'invitation.accept',
      actorUserId: userId,
      tenantId: invitation.tenant_id,
      targetType: 'invitation',
      targetId: invitation.id,
      before: { state: 'pending', email: invitation.email },
      after: { state: 'accepted', roleId: already ? already.role_id : roleId },
      ip: as.ip,
      userAgent: as.userAgent,
    });
    return { userId, tenantSlug: open.tenant.slug, created };
  });
  return { userId: accepted.userId, tenantSlug: accepted.tenantSlug, created: accepted.created };
}
