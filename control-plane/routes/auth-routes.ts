import { msg } from '../../core/i18n/message';
import { Router } from 'express';
import { clientOf } from '../../core/http/client-of';
import type passport from 'passport';
import type { ControlPlane } from '../control-plane';
import { signInFields, WRONG_CREDENTIALS } from '../auth/passport-setup';
import { landingPath } from './landing-path';
import { safeLocalPath } from '../../core/http/local-path';
import { emailSchema } from '../users/password-rules';
import { normaliseEmail } from '../users/user-repository';
import { formLimit, type LoginLimits } from '../auth/login-rate-limits';
import { completeSignIn } from './complete-sign-in';
import { TwoStepRepository } from '../two-step/two-step-repository';
import { beginPendingSignIn } from '../two-step/pending-sign-in';
import { signInThrottle } from '../auth/sign-in-throttle';
import { endImpersonation } from '../impersonation/end-impersonation';

export function authRoutes(platform: ControlPlane, passportInstance: passport.PassportStatic, limits: LoginLimits): Router {
  const router = Router();

  router.get('/login', (req, res) => {
    if (req.user) return res.redirect(landingPath(platform, req.user));
    res.render('auth/login', { title: msg('Sign in'), values: { next: safeLocalPath(req.query.next) }, errors: {} });
  });

  /**
   * Whether what was typed as the email can name an account: a well-formed address, or one an
   * account has. Anything else (blank, garbled) is left to the per-address limit, so such tries
   * never queue behind one another in the per-account throttle.
   */
  const namesAnAccount = (account: string) => emailSchema.safeParse(account).success || platform.users.findByEmail(account) !== undefined;

  /** The password's attempts count against the account the email names (decision 022). */
  const throttle = signInThrottle(platform, limits, {
    accountOf: (req) => {
      const account = normaliseEmail(signInFields(req).email.slice(0, 320));
      return namesAnAccount(account) ? account : undefined;
    },
    view: 'auth/login',
    locals: (req) => ({ title: msg('Sign in'), values: { email: signInFields(req).email.slice(0, 320), next: safeLocalPath(req.body?.next) } }),
  });

  // Past the limit per address, the sign-in form comes back with the reason and what was typed (never the password).
  const perIp = formLimit(limits.perIp, 'auth/login', () => ({ title: msg('Sign in') }));

  router.post('/login', perIp, throttle.middleware, (req, res, next) => {
    passportInstance.authenticate('local', (err: unknown, user: Express.User | false) => {
      if (err) return next(err);
      const client = clientOf(req);
      const email = signInFields(req).email.slice(0, 320);
      if (!user) {
        const account = normaliseEmail(email);
        if (namesAnAccount(account)) throttle.failed(req, account);
        // Only a well-formed address is kept: a password typed into the email box must not reach the trail.
        const target = emailSchema.safeParse(email);
        platform.audit.record({
          action: 'auth.login_failed',
          targetType: 'email',
          targetId: target.success ? target.data.slice(0, 64) : '[not an email]',
          ...client,
        });
        res
          .status(401)
          .render('auth/login', { title: msg('Sign in'), values: { email, next: safeLocalPath(req.body?.next) }, errors: { form: WRONG_CREDENTIALS } });
        return;
      }
      // Two-step sign-in on: the password is proven, the person is not signed in until the code (decision 060).
      const record = platform.users.findById(user.id);
      if (record && new TwoStepRepository(platform.db).isOn(user.id)) {
        beginPendingSignIn(req, res, platform.config, record);
        const then = safeLocalPath(req.body?.next);
        return res.redirect(303, then ? `/login/code?next=${encodeURIComponent(then)}` : '/login/code');
      }
      completeSignIn(platform, req, res, next, user);
    })(req, res, next);
  });

  router.post('/logout', (req, res, next) => {
    // While impersonating, signing out ends the impersonation and the super admin's session.
    const userId = req.realUser?.id ?? req.user?.id;
    const impersonation = req.realUser ? req.session.impersonation : undefined;
    if (impersonation) endImpersonation(platform, impersonation, 'signed-out', clientOf(req));
    // Removes the session's row and its cookie.
    req.logout((err) => {
      if (err) return next(err);
      if (userId) platform.audit.record({ action: 'auth.logout', actorUserId: userId, targetType: 'user', targetId: userId, ...clientOf(req) });
      res.redirect('/login');
    });
  });

  return router;
}
