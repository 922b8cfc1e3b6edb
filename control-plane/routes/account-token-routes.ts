import { Router, type Request, type RequestHandler } from 'express';
import type { ControlPlane } from '../control-plane';
import { requireUser } from '../http/require-user';
import { formView } from '../../core/http/form-view';
import { requireConfirmation } from '../../core/http/confirm-action';
import { flash } from '../../core/http/flash';
import { backToList, returnQuery } from '../../core/http/local-path';
import { showOnce, takeShownOnce } from '../../core/http/shown-once';
import { clientOf } from '../../core/http/client-of';
import { UnauthenticatedError } from '../../core/errors/app-errors';
import { msg } from '../../core/i18n/message';
import type { SessionUser } from '../../core/http/request-types';
import { refuseWhileImpersonating } from '../impersonation/refuse-while-impersonating';
import { createPersonalToken, type CreatedToken } from '../api-tokens/create-api-token';
import { personalTokenToRevoke, revokePersonalToken } from '../api-tokens/revoke-api-token';
import { loadAccountTokensPage } from '../pages/token-pages';

/** The user's personal API tokens: list, create (the token is shown once), revoke. */
export function accountTokenRoutes(platform: ControlPlane): Router {
  const router = Router();
  router.use(requireUser);
  // Nobody makes or revokes tokens as someone they impersonate.
  router.use(refuseWhileImpersonating(platform, msg('personal API tokens')));
  const userOf = (req: Request): SessionUser => {
    if (!req.user) throw new UnauthenticatedError();
    return req.user;
  };
  /** A refused form shows the page it was sent from again: the list's page it names in `return` (a local path of this list only), else its first. */
  const page: RequestHandler = (req, res, next) =>
    formView('account/tokens', () => loadAccountTokensPage(platform, userOf(req), undefined, returnQuery(req.body?.return, '/account/tokens')))(req, res, next);

  router.get('/', (req, res) => {
    const created = takeShownOnce<CreatedToken>(req, 'api-token', userOf(req).id);
    if (created) res.set('Cache-Control', 'no-store');
    res.render('account/tokens', { ...loadAccountTokensPage(platform, userOf(req), created, req.query), values: {}, errors: {} });
  });

  // The token is shown once, on the page this redirects to: a refresh makes no second token, and
  // the same form sent twice at once (a double click) makes one, shown by the request that made it.
  router.post('/', page, (req, res) => {
    const created = createPersonalToken(platform, userOf(req), req.body, clientOf(req));
    if (created) showOnce(req, 'api-token', userOf(req).id, created);
    res.redirect(303, '/account/tokens');
  });

  // A token that is not there to revoke is refused at once, not after the question.
  const confirmRevoke = requireConfirmation((req) => {
    personalTokenToRevoke(platform, userOf(req).id, req.params.id);
    return {
      title: msg('Revoke this token?'),
      message: msg('Scripts using it stop working at once. A revoked token cannot be used again.'),
      confirmLabel: msg('Revoke the token'),
      cancelHref: backToList(req.body?.return, '/account/tokens'),
    };
  });
  router.post('/:id/revoke', page, confirmRevoke, (req, res) => {
    const revoked = revokePersonalToken(platform, userOf(req).id, req.params.id, clientOf(req));
    flash(req, msg('The token {{name}} ({{hint}}) was revoked.', { name: revoked.name, hint: revoked.hint }));
    // Back to the page of the list it was revoked on.
    res.redirect(303, backToList(req.body?.return, '/account/tokens'));
  });

  return router;
}
