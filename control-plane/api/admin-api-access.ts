import type { Request, RequestHandler } from 'express';
import { keyScope, principalOf, type IdempotencyScope } from '../../core/http/idempotent';
import type { ControlPlane } from '../control-plane';
import { ForbiddenError, NotFoundError } from '../../core/errors/app-errors';
import type { ApiOperation } from '../../core/http/api-operation';
import type { PlatformScope } from '../api-tokens/token-scopes';
import { accessRefused } from '../../tenant-runtime/audit-sink';

/** The admin API's idempotency keys: in the control plane, per token (or signed-in super admin). */
export const adminKeyScope =
  (platform: Pick<ControlPlane, 'db' | 'config'>) =>
  (req: Request): IdempotencyScope =>
    keyScope(platform.db, principalOf(req), platform.config);

/** A time of the admin API's answers: ISO 8601, null when there is none. */
export const isoTime = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** An admin API operation under its tag in the document. */
export const adminDoc = (op: Omit<ApiOperation, 'tags'>, tag: string): ApiOperation => ({ ...op, tags: [tag] });

/**
 * Only super admins, answered as an unknown address to anyone else; a token must be a personal one,
 * limited to no workspace, holding the scope. A token refused here (403) is recorded as the
 * workspace API records a permission refused (`access.refused`, naming the scope and the token),
 * for the console's trail: a super admin's credential tried where it may not go. Someone signed in
 * (a session or a token) who is no super admin is answered 404 and recorded as the workspace API
 * records its door's 404 (`access.refused`, the path, no tenant): a door tried, whatever id the path
 * names. A super admin's unknown tenant or user id is no refusal (nothing is hidden from them) and is
 * not recorded, as a member's unknown item id is not. The audit log counts a storm into one record
 * per person and door every ten minutes (refusal-bound.ts), and the per-token limit in front of every
 * REST path (API_RATE_LIMIT a minute) answers 429 before this, unrecorded.
 */
export function requireAdmin(platform: Pick<ControlPlane, 'audit'>, scope: PlatformScope): RequestHandler {
  return (req, _res, next) => {
    if (!req.user?.isSuperAdmin) {
      if (req.user) platform.audit.record(accessRefused(req, { tenantId: null, reason: 'not-found' }));
      return next(new NotFoundError());
    }
    const token = req.apiToken;
    if (token && (token.kind !== 'personal' || token.tenantId !== null || !token.scopes.has(scope))) {
      platform.audit.record(accessRefused(req, { tenantId: null, reason: 'permission', permission: scope }));
      return next(new ForbiddenError(`This token does not hold the ${scope} scope.`, { scope }));
    }
    next();
  };
}
