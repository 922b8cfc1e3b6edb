import { msg } from '../../core/i18n/message';
import { Router } from 'express';
import { z } from 'zod';
import type { ControlPlane } from '../control-plane';
import { NotFoundError } from '../../core/errors/app-errors';
import { parseInput } from '../../core/http/parse-input';
import { clientOf } from '../../core/http/client-of';
import { isLoopbackHost } from '../../core/config/loopback-host';
import { DemoFixtures } from '../demo/demo-fixtures';
import { toSessionUser } from '../users/user-record';
import { USER_ID_PATTERN } from '../users/user-directory';
import { landingPath } from './landing-path';

const devLoginSchema = z.object({ user: z.string({ error: msg('is required') }).regex(USER_ID_PATTERN, { error: msg('is not a demo user') }) });

/**
 * Developer mode's one-click sign-in as the demo users (`tenantry demo`). It exists only with
 * DEV_LOGIN=1, which the configuration accepts only with a loopback HOST; each sign-in also
 * checks that the connection itself comes from this machine, and that the account is one the
 * demo made (never a real one). A POST with the CSRF token, like any sign-in.
 */
export function devLoginRoutes(platform: ControlPlane): Router {
  const router = Router();
  if (!platform.config.devLogin || !isLoopbackHost(platform.config.host)) return router;
  const fixtures = new DemoFixtures(platform.db);

  // The sign-in page lists them (views/auth/login.ejs).
  router.get('/login', (_req, res, next) => {
    res.locals.devLoginUsers = fixtures.loginUsers();
    next();
  });

  router.post('/dev-login', (req, res, next) => {
    if (!isLoopbackHost(req.socket.remoteAddress)) throw new NotFoundError();
    const { user: id } = parseInput(devLoginSchema, req.body);
    const user = fixtures.loginUsers().find((u) => u.id === id) ? platform.users.findById(id) : undefined;
    if (!user) throw new NotFoundError(msg('No such demo user.'));
    const sessionUser = toSessionUser(user);
    // A new session with a new id, as at every sign-in.
    req.login(sessionUser, (err) => {
      if (err) return next(err);
      const client = clientOf(req);
      platform.audit.record({ action: 'auth.login', actorUserId: user.id, targetType: 'user', targetId: user.id, after: { via: 'dev-login' }, ...client });
      res.redirect(303, landingPath(platform, sessionUser));
    });
  });

  return router;
}
