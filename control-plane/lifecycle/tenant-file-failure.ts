import type { ErrorRequestHandler } from 'express';
import { TenantDamagedError } from '../../core/errors/tenant-unavailable-errors';
import { checkIntegrity, isUnreadableFileError, schemaProblem } from '../../tenant-runtime/tenant-file-check';
import type { TenantRequestContext } from '../../tenant-runtime/tenant-request-context';
import type { TenantHealth } from './tenant-health';

/** What is wrong with the file behind an open handle, or undefined when it passes its quick check. */
function problemOf(ctx: TenantRequestContext): string | undefined {
  if (!ctx.db.isOpen) return undefined;
  try {
    return schemaProblem(ctx.db.connection()) ?? checkIntegrity(ctx.db.connection());
  } catch {
    return undefined;
  }
}

/**
 * A tenant file found damaged while it serves (SQLite reports it corrupt in the middle of a
 * request: a disk fault, a file changed under the server) is a damaged tenant, as one found so
 * when it is opened: marked damaged (its handle closed, its members shown the 503 page, never
 * migrated), and this request answered with that 503 rather than a 500 that every later request
 * would repeat. The error is laid at the tenant's door only when its own file fails its quick
 * check: the control plane may have raised it. A sound file leaves the error as it was.
 */
export function tenantFileFailure(health: TenantHealth): ErrorRequestHandler {
  return (err, _req, res, next) => {
    const ctx = res.locals.ctx as TenantRequestContext | undefined;
    if (!ctx || !isUnreadableFileError(err)) return next(err);
    const problem = problemOf(ctx);
    if (!problem) return next(err);
    health.reportDamaged(ctx.tenant.id, problem, 'a request');
    next(new TenantDamagedError(problem, { tenantId: ctx.tenant.id }, { cause: err }));
  };
}
