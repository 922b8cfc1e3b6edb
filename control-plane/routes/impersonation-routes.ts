import { Router } from 'express';
import type { ControlPlane } from '../control-plane';
import { NotFoundError } from '../../core/errors/app-errors';
import { clientOf } from '../../core/http/client-of';
import { endImpersonation } from '../impersonation/end-impersonation';

/**
 * The banner's stop button. It lives outside /admin: while impersonating, the request's user is
 * the impersonated one, to whom /admin does not exist.
 */
export function impersonationRoutes(platform: ControlPlane): Router {
  const router = Router();

  router.post('/impersonation/stop', (req, res) => {
    const state = req.session?.impersonation;
    if (!state || !req.realUser) throw new NotFoundError();
    endImpersonation(platform, state, 'stopped', clientOf(req));
    // A privilege change: a new session id, the super admin again.
    req.renewSession({});
    res.redirect(303, `/admin/users/${state.targetUserId}?done=impersonation-stopped`);
  });

  return router;
}
