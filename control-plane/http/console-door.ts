import type { RequestHandler } from 'express';
import { NotFoundError } from '../../core/errors/app-errors';
import { accessRefused, type AuditSink } from '../../tenant-runtime/audit-sink';

/**
 * In front of every console page (`/admin/...`): someone signed in who is no super admin gets the
 * console's 404 here, recorded as `access.refused` (the path, no tenant), as the admin API records
 * its door's 404. The audit log bounds the records (refusal-bound.ts): one per person per window,
 * the later refusals counted into it, so a member cannot fill the trail one row per request.
 * Signed out, the pages ask for a sign-in (requireUser); a super admin goes on to the pages, whose
 * own unknown addresses refuse nothing. A super admin acting as a user goes on as well: they are
 * refused by requireSuperAdmin unrecorded (nothing is hidden from them), and the console's
 * "already impersonating" answer stays theirs.
 */
export function consoleDoor(audit: AuditSink): RequestHandler {
  return (req, _res, next) => {
    if (!req.user || req.user.isSuperAdmin || req.realUser) return next();
    audit.record(accessRefused(req, { tenantId: null, reason: 'not-found' }));
    next(new NotFoundError());
  };
}
