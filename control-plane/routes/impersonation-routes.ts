import { Router } from 'express';
import type { ControlPlane } from '../control-plane';
import { NotFoundError } from '../../core/errors/app-errors';
import { clientOf } from '../../core/http/client-of';
import { endImpersonation } from '../impersonation/end-impersonation';
import { switchSession } from '../impersonation/switch-session';

/**
 * The banner's stop button. It lives outside /admin: while impersonating, the request's user is
 * the impersonated one, to whom /admin does not exist.
 */
export function impersonationRoutes(platform: ControlPlane): Router {
  const router = Router();

  router.post('/impersonation/stop', async (req, res) => {
    const state = req.session?.impersonation;
    if (!state || !req.realUser) throw new NotFoundError();
    endImpersonation(platform, state, 'stopped', clientOf(req));
    await switchSession(req, req.realUser.id);
    res.redirect(303, `/admin/users/${state.targetUserId}?done=impersonation-stopped`);
  });

  return router;
}
