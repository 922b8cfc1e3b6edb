import { ensureTeamRoom } from '../plans/team-limits';
import crypto from 'node:crypto';
import type { ControlPlane } from '../control-plane';
import { normaliseEmail } from '../users/user-repository';
import { newInvitationToken } from './invitation-token';
import { currentState } from './invitation-repository';

export interface CreatedInvitation {
  id: string;
  token: string;
  url: string;
  expiresAt: number;
}

export function invitationUrl(platform: ControlPlane, token: string): string {
  return `${platform.config.baseUrl}/invitations/${token}`;
}

export function invitationExpiry(platform: ControlPlane): number {
  return Date.now() + platform.config.invitationTtlDays * 24 * 3600 * 1000;
}

/**
 * Invites an email to a tenant with a role. A pending invitation for the same email is
 * closed first (revoked, or expired when its time is up): at most one is ever pending, and
 * the new link is the only one that works. The plan's limit on pending invitations is checked
 * in the same transaction as the insert.
 */
export function createInvitation(
  platform: ControlPlane,
  input: {
    tenantId: string;
    email: string;
    roleId: number;
    invitedBy: string | null;
    /** The inviter's role, for whom a refusal for the invitation limit tells them to ask. */
    inviterRoleKey?: string;
    ip?: string | null;
    userAgent?: string | null;
  },
): CreatedInvitation {
  const repo = platform.invitations;
  const email = normaliseEmail(input.email);
  const { token, hash } = newInvitationToken();
  const id = 'i' + crypto.randomBytes(12).toString('hex');
  const expiresAt = invitationExpiry(platform);
  platform.db.write(() => {
    const existing = repo.findPending(input.tenantId, email);
    if (existing) repo.finish(existing.id, currentState(existing) === 'expired' ? 'expired' : 'revoked');
    ensureTeamRoom(platform, input.tenantId, 'pending_invitations', 1, input.inviterRoleKey);
    repo.insert({ id, tenant_id: input.tenantId, email, role_id: input.roleId, token_hash: hash, invited_by: input.invitedBy, expires_at: expiresAt });
    platform.audit.record({
      action: 'invitation.create',
      actorUserId: input.invitedBy,
      tenantId: input.tenantId,
      targetType: 'invitation',
      targetId: id,
      after: { email, roleId: input.roleId },
      ip: input.ip,
      userAgent: input.userAgent,
    });
  });
  return { id, token, url: invitationUrl(platform, token), expiresAt };
}
