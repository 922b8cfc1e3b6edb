import type { Request, RequestHandler } from 'express';
import { keyScope, principalOf, type IdempotencyScope } from '../../core/http/idempotent';
import type { ControlPlane } from '../control-plane';
import { ForbiddenError, NotFoundError } from '../../core/errors/app-errors';
import type { ApiOperation } from '../../core/http/api-operation';
import type { PlatformScope } from '../api-tokens/token-scopes';

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
 * limited to no workspace, holding the scope.
 */
export function requireAdmin(scope: PlatformScope): RequestHandler {
  return (req, _res, next) => {
    if (!req.user?.isSuperAdmin) return next(new NotFoundError());
    const token = req.apiToken;
    if (token && (token.kind !== 'personal' || token.tenantId !== null || !token.scopes.has(scope)))
      return next(new ForbiddenError(`This token does not hold the ${scope} scope.`, { scope }));
    next();
  };
}
