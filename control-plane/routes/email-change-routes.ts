import { msg } from '../../core/i18n/message';
import { Router, type RequestHandler } from 'express';
import type { ControlPlane } from '../control-plane';
import { clientOf } from '../../core/http/client-of';
import { confirmEmailChange, openEmailChange } from '../account/confirm-email-change';
import { refuseWhileImpersonating } from '../impersonation/refuse-while-impersonating';

/**
 * The link mailed to a new address, for whoever holds it, signed in or not: its page asks to
 * confirm (a mail scanner that opens links changes nothing), and the confirmation changes the
 * account's address. Someone signed in to another account is told the link is not valid.
 */
export function emailChangeRoutes(platform: ControlPlane, tokenLimit: RequestHandler): Router {
  const router = Router();
  const title = msg('Confirm your new email address');

  // After a change confirmed signed out, the sign-in page says so (views/auth/login.ejs).
  router.get('/login', (req, res, next) => {
    if (req.query.email === 'changed') res.locals.notice = msg('Your email address was changed. Sign in with the new address.');
    next();
  });

  router.get('/email/confirm/:token', tokenLimit, (req, res) => {
    const change = openEmailChange(platform, req.params.token, req.user?.id);
    res.render('account/confirm-email', { title, token: req.params.token, newEmail: change.new_email });
  });

  // A super admin acting as someone must not change that person's address through a link either.
  router.post('/email/confirm/:token', tokenLimit, refuseWhileImpersonating(platform, msg('email address')), (req, res) => {
    const { userId } = confirmEmailChange(platform, req.params.token, req.user?.id, clientOf(req));
    res.redirect(303, req.user?.id === userId ? '/account?done=email' : '/login?email=changed');
  });

  return router;
}
