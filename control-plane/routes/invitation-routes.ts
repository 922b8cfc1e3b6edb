import { msg } from '../../core/i18n/message';
import { clientOf } from '../../core/http/client-of';
import { Router, type RequestHandler } from 'express';
import type { ControlPlane } from '../control-plane';
import { acceptInvitation, openInvitation } from '../invitations/accept-invitation';
import { formView } from '../../core/http/form-view';
import { formLimit } from '../auth/login-rate-limits';
import { toSessionUser } from '../users/user-record';
import { refuseWhileImpersonating } from '../impersonation/refuse-while-impersonating';

export function invitationRoutes(platform: ControlPlane, limit: RequestHandler): Router {
  const router = Router();

  router.get('/invitations/:token', limit, (req, res) => {
    const open = openInvitation(platform, req.params.token);
    res.render('invitations/accept', { title: msg('Join {{name}}', { name: open.tenant.name }), open, token: req.params.token, values: {}, errors: {} });
  });

  // Past the limit the form comes back without the invitation (no workspace named): looking the
  // link up would answer, for each guess, whether it is valid.
  const formOfLink = formLimit(limit, 'invitations/accept', (req) => ({
    title: msg('Accept the invitation'),
    token: encodeURIComponent(String(req.params.token)),
  }));

  router.post(
    '/invitations/:token',
    formOfLink,
    refuseWhileImpersonating(platform, msg('memberships')),
    (req, res, next) => {
      const open = openInvitation(platform, req.params.token);
      formView('invitations/accept', { title: msg('Join {{name}}', { name: open.tenant.name }), open, token: req.params.token })(req, res, next);
    },
    async (req, res, next) => {
      const result = await acceptInvitation(platform, req.params.token, { user: req.user, input: req.body, ...clientOf(req) });
      if (req.user || !result.created) return res.redirect(platform.urls.tenantUrl(result.tenantSlug));
      req.login(toSessionUser(result.created), (err) => (err ? next(err) : res.redirect(platform.urls.tenantUrl(result.tenantSlug))));
    },
  );

  return router;
}
