import type { RequestHandler } from 'express';
import type { ControlPlane } from '../control-plane';
import { impersonationRefusal } from '../../core/http/impersonation-refusal';
import { clientOf } from '../../core/http/client-of';

/**
 * Refuses a request that changes what belongs to the person themself (password, sessions,
 * default workspace, name, memberships, accepting an invitation; 2FA once it exists) while a super
 * admin is acting as them: 403, recorded with both names. Safe methods pass: the pages still show.
 */
export function refuseWhileImpersonating(platform: ControlPlane, what: string): RequestHandler {
  return (req, _res, next) => {
    if (!req.realUser || req.method === 'GET' || req.method === 'HEAD') return next();
    const refusal = impersonationRefusal(req, what, req.user?.name ?? '');
    platform.audit.record({ ...refusal.audit, actorUserId: req.user?.id ?? null, realActorUserId: req.realUser.id, ...clientOf(req) });
    next(refusal.error);
  };
}
