import { msg, nested } from '../../core/i18n/message';
import type { RequestHandler } from 'express';
import type { ControlPlane } from '../control-plane';
import { ForbiddenError } from '../../core/errors/app-errors';
import { clientOf } from '../../core/http/client-of';

/**
 * Refuses a request that changes what belongs to the person themself (password, sessions,
 * default workspace, name, memberships, accepting an invitation; 2FA once it exists) while a super
 * admin is acting as them: 403, recorded with both names. Safe methods pass: the pages still show.
 */
export function refuseWhileImpersonating(platform: ControlPlane, what: string): RequestHandler {
  return (req, _res, next) => {
    if (!req.realUser || req.method === 'GET' || req.method === 'HEAD') return next();
    platform.audit.record({
      action: 'impersonation.refused',
      actorUserId: req.user?.id ?? null,
      realActorUserId: req.realUser.id,
      targetType: 'path',
      targetId: req.originalUrl.split('?')[0].slice(0, 64),
      after: { why: `${what} cannot be changed while impersonating`, method: req.method },
      ...clientOf(req),
    });
    next(
      new ForbiddenError(
        msg('While you act as {{name}}, their {{what}} cannot be changed. Stop impersonating first.', { name: req.user?.name ?? '', what: nested(what) }),
      ),
    );
  };
}
