import type { RequestHandler } from 'express';
import { ConflictError } from '../../core/errors/app-errors';
import { msg } from '../../core/i18n/message';

/**
 * Starting an impersonation while one goes on (a user's page left open in another tab): 409
 * naming whom the session acts as, the session and its operator kept. One impersonation at a
 * time, each started and ended on its own: both trails read who acted as whom, and until when.
 * Placed ahead of the super-admin check, to which the session's user is the impersonated one.
 */
export const refuseSecondImpersonation: RequestHandler = (req, _res, next) => {
  if (!req.realUser?.isSuperAdmin) return next();
  next(
    new ConflictError(msg('You are already acting as {{name}}. Stop impersonating first, then start again.', { name: req.user?.name ?? '' }), {
      impersonating: req.user?.id ?? null,
    }),
  );
};
