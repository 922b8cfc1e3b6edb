import { ensureTeamRoom } from '../plans/team-limits';
import crypto from 'node:crypto';
import type { ControlPlane } from '../control-plane';
import { ConflictError } from '../../core/errors/app-errors';
import { msg } from '../../core/i18n/message';
import { normaliseEmail } from '../users/user-repository';
import { newInvitationToken } from './invitation-token';
import { currentState, type InvitationRecord } from './invitation-repository';
import type { AuditRecord } from '../../tenant-runtime/audit-sink';

export interface CreatedInvitation {
  id: string;
  token: string;
  url: string;
  expiresAt: number;
}

export interface InvitationInput {
  tenantId: string;
  email: string;
  roleId: number;
  invitedBy: string | null;
  /**
   * Who sent it as its audit record names them: the actor's fields (auditedBy, auditedOperator),
   * with the client, the API token the request came with and who really acted while impersonating.
   */
  by?: InvitationSender;
  /** When it is made (now unless given): every invitation of one batch is made at the batch's instant. */
  createdAt?: number;
  /** What sent it, when its audit record must say (an owner added from the console: add-owner.ts). */
  via?: 'add-owner';
}

/** The audit fields naming who sent an invitation. */
export type InvitationSender = Pick<AuditRecord, 'actorUserId' | 'realActorUserId' | 'apiTokenId' | 'ip' | 'userAgent'>;

export function invitationUrl(platform: ControlPlane, token: string): string {
  return `${platform.config.baseUrl}/invitations/${token}`;
}

export function invitationExpiry(platform: ControlPlane): number {
  return Date.now() + platform.config.invitationTtlDays * 24 * 3600 * 1000;
}

/**
 * The address's pending invitation that still works, for the caller to refuse another one. One
 * past its expiry is marked expired on the way: run it in the write that inserts the new one.
 */
export function stillPending(platform: ControlPlane, tenantId: string, email: string): InvitationRecord | undefined {
  const existing = platform.invitations.findPending(tenantId, normaliseEmail(email));
  if (existing && currentState(existing) === 'expired') {
    platform.invitations.finish(existing.id, 'expired');
    return undefined;
  }
  return existing;
}

/**
 * Writes one invitation and its audit record. The caller runs it inside its write transaction,
 * after its checks (no usable pending invitation for the address, the plan's limit).
 */
export function insertInvitation(platform: ControlPlane, input: InvitationInput): CreatedInvitation {
  const email = normaliseEmail(input.email);
  const { token, hash } = newInvitationToken();
  const id = 'i' + crypto.randomBytes(12).toString('hex');
  const expiresAt = invitationExpiry(platform);
  platform.invitations.insert({
    id,
    tenant_id: input.tenantId,
    email,
    role_id: input.roleId,
    token_hash: hash,
    invited_by: input.invitedBy,
    expires_at: expiresAt,
    created_at: input.createdAt,
  });
  platform.audit.record({
    actorUserId: input.invitedBy,
    ...input.by,
    action: 'invitation.create',
    tenantId: input.tenantId,
    targetType: 'invitation',
    targetId: id,
    after: { email, roleId: input.roleId, ...(input.via ? { via: input.via } : {}) },
  });
  return { id, token, url: invitationUrl(platform, token), expiresAt };
}

/**
 * Invites an email to a tenant with a role, in one write with its checks: at most one invitation
 * is ever pending per address, so one still pending is refused (ConflictError), unless
 * `replacePending` asks for it to be revoked so that only the new link works (an operator giving
 * a tenant its owner again). The plan's limit on pending invitations is checked in the same
 * transaction as the insert.
 */
export function createInvitation(
  platform: ControlPlane,
  input: InvitationInput & {
    /** The inviter's role, for whom a refusal for the invitation limit tells them to ask. */
    inviterRoleKey?: string;
    replacePending?: boolean;
  },
): CreatedInvitation {
  return platform.db.write(() => {
    const existing = stillPending(platform, input.tenantId, input.email);
    if (existing && !input.replacePending)
      throw new ConflictError(msg('{{email}} already has a pending invitation to this workspace.', { email: existing.email }));
    if (existing) platform.invitations.finish(existing.id, 'revoked');
    ensureTeamRoom(platform, input.tenantId, 'pending_invitations', 1, input.inviterRoleKey);
    return insertInvitation(platform, input);
  });
}
