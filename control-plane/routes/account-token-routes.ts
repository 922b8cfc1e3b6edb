import { Router, type Request, type RequestHandler } from 'express';
import type { ControlPlane } from '../control-plane';
import { requireUser } from '../http/require-user';
import { formView } from '../../core/http/form-view';
import { clientOf } from '../../core/http/client-of';
import { UnauthenticatedError } from '../../core/errors/app-errors';
import type { SessionUser } from '../../core/http/request-types';
import { refuseWhileImpersonating } from '../impersonation/refuse-while-impersonating';
import { createPersonalToken } from '../api-tokens/create-api-token';
import { revokePersonalToken } from '../api-tokens/revoke-api-token';
import { loadAccountTokensPage } from '../pages/token-pages';

/** The user's personal API tokens: list, create (the token is shown once), revoke. */
export function accountTokenRoutes(platform: ControlPlane): Router {
  const router = Router();
  router.use(requireUser);
  // Nobody makes or revokes tokens as someone they impersonate.
  router.use(refuseWhileImpersonating(platform, 'API tokens'));
  const userOf = (req: Request): SessionUser => {
    if (!req.user) throw new UnauthenticatedError();
    return req.user;
  };
  const page: RequestHandler = (req, res, next) => formView('account/tokens', () => loadAccountTokensPage(platform, userOf(req)))(req, res, next);

  router.get('/', (req, res) => {
    res.render('account/tokens', {
      ...loadAccountTokensPage(platform, userOf(req)),
      notice: req.query.done === 'revoked' ? 'The token was revoked.' : undefined,
      values: {},
      errors: {},
    });
  });

  router.post('/', page, (req, res) => {
    const created = createPersonalToken(platform, userOf(req), req.body, clientOf(req));
    res.set('Cache-Control', 'no-store');
    res.status(201).render('account/tokens', { ...loadAccountTokensPage(platform, userOf(req), created), values: {}, errors: {} });
  });

  router.post('/:id/revoke', (req, res) => {
    revokePersonalToken(platform, userOf(req).id, req.params.id, clientOf(req));
    res.redirect(303, '/account/tokens?done=revoked');
  });

  return router;
}
