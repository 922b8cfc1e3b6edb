import type { NextFunction, Request, Response } from 'express';
import { clientOf } from '../../core/http/client-of';
import { safeLocalPath } from '../../core/http/local-path';
import { rememberDevice } from '../auth/known-device';
import type { ControlPlane } from '../control-plane';
import { landingPath } from './landing-path';

/**
 * Signs the person in once every step passed (the password, and the code when two-step sign-in is
 * on): a new session with a new id (no fixation across sign-in), the browser remembered as one
 * the account signed in from, the sign-in recorded, then the page asked for or the landing page.
 */
export function completeSignIn(
  platform: ControlPlane,
  req: Request,
  res: Response,
  next: NextFunction,
  user: Express.User,
  via?: Record<string, string>,
): void {
  req.login(user, (loginErr) => {
    if (loginErr) return next(loginErr);
    rememberDevice(req, res, platform.config, user.id);
    platform.audit.record({
      action: 'auth.login',
      actorUserId: user.id,
      targetType: 'user',
      targetId: user.id,
      ...(via ? { after: via } : {}),
      ...clientOf(req),
    });
    res.redirect(safeLocalPath(req.body?.next) ?? landingPath(platform, user));
  });
}
