import type { ControlPlane } from '../control-plane';
import { ConflictError, NotFoundError } from '../../core/errors/app-errors';
import type { Client } from '../../core/http/client-of';
import { msg } from '../../core/i18n/message';
import { auditedBy, type ActingMember } from '../audit/tenant-actor';
import type { ApiTokenRecord } from './api-token-repository';
import { deletedJustNow } from '../audit/repeated-deletion';

const TOKEN_ID = /^k[0-9a-f]{24}$/;

/** The token a revocation names, while it may be revoked: not found unless it is the caller's to revoke, a conflict once revoked. */
function revocable(token: ApiTokenRecord | undefined): ApiTokenRecord {
  if (!token) throw new NotFoundError();
  if (token.revoked_at !== null) throw new ConflictError(msg('This token was already revoked.'));
  return token;
}

/** One of the user's own personal tokens, revoked or not; anyone else's is not found. */
function personalToken(platform: ControlPlane, userId: string, id: unknown): ApiTokenRecord {
  const token = typeof id === 'string' && TOKEN_ID.test(id) ? platform.apiTokens.findById(id) : undefined;
  if (!token || token.kind !== 'personal' || token.user_id !== userId) throw new NotFoundError();
  return token;
}

/** A token of the tenant, revoked or not (a service token, or a member's token limited to it); another tenant's is not found. */
function tenantToken(platform: ControlPlane, tenantId: string, id: unknown): ApiTokenRecord {
  const token = typeof id === 'string' && TOKEN_ID.test(id) ? platform.apiTokens.findById(id) : undefined;
  if (!token || token.tenant_id !== tenantId) throw new NotFoundError();
  return token;
}

/** One of the user's own live personal tokens (checked before the confirmation is asked, and again by the revocation). */
export function personalTokenToRevoke(platform: ControlPlane, userId: string, id: unknown): ApiTokenRecord {
  return revocable(personalToken(platform, userId, id));
}

/** A live token of the tenant (a service token, or a member's token limited to it); another tenant's id is not found. */
export function tenantTokenToRevoke(platform: ControlPlane, tenantId: string, id: unknown): ApiTokenRecord {
  return revocable(tenantToken(platform, tenantId, id));
}

/**
 * Whether this person revoked the token moments ago, as their revocation record says
 * (repeated-deletion.ts): the same revocation sent again (a double click, a form sent again) is
 * answered with the first one, not with a 409 about its own effect.
 */
function revokedJustNow(platform: ControlPlane, token: ApiTokenRecord, by: string): boolean {
  const asked = { action: 'api_token.revoke', targetType: 'api_token', targetId: token.id, actorUserId: by, tenantId: token.tenant_id ?? undefined };
  return deletedJustNow(platform.db, asked) !== undefined;
}

/**
 * Revokes the token with its audit record, in one transaction. Already revoked (before, or by a
 * request sent at the same moment): answered as done when this person revoked it moments ago,
 * writing nothing; a conflict otherwise.
 */
function revoke(platform: ControlPlane, token: ApiTokenRecord, by: string, audit: Record<string, unknown>, reason?: string): ApiTokenRecord {
  return platform.db.write(() => {
    if (!platform.apiTokens.revoke(token.id, by)) {
      if (revokedJustNow(platform, token, by)) return token;
      throw new ConflictError(msg('This token was already revoked.'));
    }
    platform.audit.record({
      ...audit,
      action: 'api_token.revoke',
      targetType: 'api_token',
      targetId: token.id,
      before: { kind: token.kind, name: token.name, hint: token.hint },
      after: reason ? { revoked: true, reason } : { revoked: true },
    });
    return token;
  });
}

/**
 * A member's membership ends (removed, or they left): their personal tokens limited to that tenant
 * are revoked with it, in the caller's transaction, each audited like any revocation with the
 * removal's actor, so inviting them again later brings none back (docs/decisions/050). Their
 * tokens for every workspace, or limited to another, are not the tenant's to end.
 */
export function revokeTokensLimitedTo(
  platform: ControlPlane,
  member: { userId: string; tenantId: string },
  by: string,
  audit: Record<string, unknown>,
  reason: 'member removed' | 'member left',
): number {
  const tokens = platform.apiTokens.unrevokedLimitedTo(member.userId, member.tenantId);
  for (const token of tokens) revoke(platform, token, by, { ...audit, tenantId: member.tenantId }, reason);
  return tokens.length;
}

/** The user revokes one of their own personal tokens; anyone else's id is not found. */
export function revokePersonalToken(platform: ControlPlane, userId: string, id: unknown, client: Client): ApiTokenRecord {
  const mine = personalToken(platform, userId, id);
  return revoke(platform, mine, userId, { actorUserId: userId, tenantId: mine.tenant_id, ...client });
}

/** A tenant's admin revokes a token of the tenant (a service token, or a member's token limited to it); another tenant's id is not found. */
export function revokeTenantToken(platform: ControlPlane, actor: ActingMember, id: unknown): ApiTokenRecord {
  return revoke(platform, tenantToken(platform, actor.tenantId, id), actor.userId, auditedBy(actor));
}
