import { msg } from '../../core/i18n/message';
import { browserLanguage } from '../../core/i18n/page-language';
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { ControlPlane } from '../control-plane';
import type { SessionRepository } from '../auth/session-repository';
import type { BackgroundTasks } from '../../core/jobs/background-tasks';
import { formView } from '../../core/http/form-view';
import { formLimit } from '../auth/login-rate-limits';
import { parseInput } from '../../core/http/parse-input';
import { clientOf } from '../../core/http/client-of';
import { emailSchema } from '../users/password-rules';
import { requestPasswordReset } from '../password-reset/request-password-reset';
import { openResetLink, resetPassword } from '../password-reset/reset-password';
import { refuseWhileImpersonating } from '../impersonation/refuse-while-impersonating';

const forgotSchema = z.object({ email: emailSchema });

/**
 * Password reset by email, for everyone: ask for a link (the same answer, as fast, whether the
 * address has an account or not; the link is made and mailed after the answer), then choose a
 * new password through it.
 */
export function passwordResetRoutes(
  platform: ControlPlane,
  sessions: SessionRepository,
  background: BackgroundTasks,
  limits: { request: RequestHandler[]; token: RequestHandler },
): Router {
  const router = Router();
  const title = msg('Reset your password');

  // After a reset the sign-in page says so (views/auth/login.ejs).
  router.get('/login', (req, res, next) => {
    if (req.query.reset === 'done')
      res.locals.notice = msg('Your password was changed and every session of the account was signed out. Sign in with the new password.');
    next();
  });

  router.get('/password/forgot', (_req, res) => {
    res.render('auth/forgot', { title, values: {}, errors: {} });
  });

  // Past a limit, each form comes back with the reason; the link's form without looking the link up.
  const requestLimits = limits.request.map((limit) => formLimit(limit, 'auth/forgot', () => ({ title })));
  const tokenLimit = formLimit(limits.token, 'auth/reset', (req) => ({ title, token: encodeURIComponent(String(req.params.token)) }));

  router.post('/password/forgot', ...requestLimits, formView('auth/forgot', { title }), (req, res) => {
    const { email } = parseInput(forgotSchema, req.body);
    const client = clientOf(req);
    // The page's language (the browser's, for someone signed out) is the mail's when the account chose none.
    const language = req.user?.language ?? browserLanguage(req);
    background.run('password reset mail', () => requestPasswordReset(platform, email, client, language));
    res.render('auth/forgot-sent', { title: msg('Check your email'), email, minutes: platform.config.passwordResetMinutes });
  });

  const resetForm: RequestHandler = (req, res, next) => {
    openResetLink(platform, req.params.token);
    formView('auth/reset', { title, token: req.params.token })(req, res, next);
  };

  router.get('/password/reset/:token', limits.token, (req, res) => {
    openResetLink(platform, req.params.token);
    res.render('auth/reset', { title, token: req.params.token, values: {}, errors: {} });
  });

  // A super admin acting as someone must not set that person's password through a link either.
  router.post('/password/reset/:token', tokenLimit, refuseWhileImpersonating(platform, msg('password')), resetForm, async (req, res) => {
    await resetPassword(platform, sessions, req.params.token, req.body, clientOf(req));
    res.redirect(303, '/login?reset=done');
  });

  return router;
}
