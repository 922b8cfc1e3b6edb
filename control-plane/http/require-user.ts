import type { RequestHandler } from 'express';
import { NotFoundError, UnauthenticatedError } from '../../core/errors/app-errors';

/** Pages for signed-in users: anyone else is sent to the sign-in page, then back. */
export const requireUser: RequestHandler = (req, res, next) => {
  if (req.user) return next();
  if (req.method === 'GET') {
    res.redirect(`/login?next=${encodeURIComponent(req.originalUrl)}`);
    return;
  }
  next(new UnauthenticatedError());
};

/**
 * Super-admin areas answer 404 to everyone else, so they do not show they exist. The console's door
 * (console-door.ts) has already answered and recorded anyone signed in who is no super admin; what
 * reaches this unrecorded is a super admin acting as a user (decision 023).
 */
export const requireSuperAdmin: RequestHandler = (req, _res, next) => {
  if (req.user?.isSuperAdmin) return next();
  next(new NotFoundError());
};
