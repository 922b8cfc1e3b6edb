import type { ControlPlane } from '../control-plane';
import { ConflictError, NotFoundError } from '../../core/errors/app-errors';
import type { Client } from '../../core/http/client-of';
import { msg } from '../../core/i18n/message';
import { auditedBy, type ActingMember } from '../audit/tenant-actor';
import type { ApiTokenRecord } from './api-token-repository';

const TOKEN_ID = /^k[0-9a-f]{24}$/;

/** The token a revocation names, while it may be revoked: not found unless it is the caller's to revoke, a conflict once revoked. */
function revocable(token: ApiTokenRecord | undefined): ApiTokenRecord {
  if (!token) throw new NotFoundError();
  if (token.revoked_at !== null) throw new ConflictError(msg('This token was already revoked.'));
  return token;
}

/** One of the user's own live personal tokens (checked before the confirmation is asked, and again by the revocation). */
export function personalTokenToRevoke(platform: ControlPlane, userId: string, id: unknown): ApiTokenRecord {
  const token = typeof id === 'string' && TOKEN_ID.test(id) ? platform.apiTokens.findById(id) : undefined;
  return revocable(token && token.kind === 'personal' && token.user_id === userId ? token : undefined);
}

/** A live token of the tenant (a service token, or a member's token limited to it); another tenant's id is not found. */
export function tenantTokenToRevoke(platform: ControlPlane, tenantId: string, id: unknown): ApiTokenRecord {
  const token = typeof id === 'string' && TOKEN_ID.test(id) ? platform.apiTokens.findById(id) : undefined;
  return revocable(token && token.tenant_id === tenantId ? token : undefined);
}

function revoke(platform: ControlPlane, token: ApiTokenRecord, by: string, audit: Record<string, unknown>): ApiTokenRecord {
  return platform.db.write(() => {
    if (!platform.apiTokens.revoke(token.id, by)) throw new ConflictError(msg('This token was already revoked.'));
    platform.audit.record({
      ...audit,
      action: 'api_token.revoke',
      targetType: 'api_token',
      targetId: token.id,
      before: { kind: token.kind, name: token.name, hint: token.hint },
      after: { revoked: true },
    });
    return token;
  });
}

/** The user revokes one of their own personal tokens; anyone else's id is not found. */
export function revokePersonalToken(platform: ControlPlane, userId: string, id: unknown, client: Client): ApiTokenRecord {
  const mine = personalTokenToRevoke(platform, userId, id);
  return revoke(platform, mine, userId, { actorUserId: userId, tenantId: mine.tenant_id, ...client });
}

/** A tenant's admin revokes a token of the tenant (a service token, or a member's token limited to it); another tenant's id is not found. */
export function revokeTenantToken(platform: ControlPlane, actor: ActingMember, id: unknown): ApiTokenRecord {
  return revoke(platform, tenantTokenToRevoke(platform, actor.tenantId, id), actor.userId, auditedBy(actor));
}
