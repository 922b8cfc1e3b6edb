import { Router, type RequestHandler } from 'express';
import type { ControlPlane } from '../control-plane';
import type { SetupToken } from '../setup/setup-token';
import { NotFoundError } from '../../core/errors/app-errors';
import { createUser } from '../users/create-user';
import { toSessionUser } from '../users/user-record';
import { formView } from '../../core/http/form-view';
import { clientOf } from '../../core/http/client-of';
import { formLimit } from '../auth/login-rate-limits';

/** First run: while no user exists, the one-time URL printed at start creates the first super admin. */
export function setupRoutes(platform: ControlPlane, token: SetupToken | undefined, limit: RequestHandler): Router {
  const router = Router();
  const open: RequestHandler = (req, _res, next) => {
    const candidate = req.method === 'GET' ? req.query.key : req.body?.key;
    if (!token || platform.users.count() > 0 || !token.matches(candidate)) return next(new NotFoundError());
    next();
  };

  router.get('/setup', limit, open, (req, res) => {
    res.render('setup/setup', { title: 'Create the first super admin', values: { key: req.query.key }, errors: {} });
  });

  const page = { title: 'Create the first super admin' };
  // Past the limit the form comes back whatever the key: an answer that differed by it would let guesses go on.
  const limited = formLimit(limit, 'setup/setup', () => page);

  router.post('/setup', limited, open, formView('setup/setup', page), async (req, res, next) => {
    const user = await createUser(platform, req.body, { isSuperAdmin: true, onlyAsFirstUser: true });
    platform.audit.record({
      action: 'user.create_super_admin',
      actorUserId: user.id,
      targetType: 'user',
      targetId: user.id,
      after: { email: user.email },
      ...clientOf(req),
    });
    req.login(toSessionUser(user), (err) => {
      if (err) return next(err);
      res.redirect('/admin/tenants');
    });
  });

  return router;
}
