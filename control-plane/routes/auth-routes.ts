import { msg } from '../../core/i18n/message';
import { Router, type Request, type RequestHandler } from 'express';
import { clientOf } from '../../core/http/client-of';
import type passport from 'passport';
import type { ControlPlane } from '../control-plane';
import { signInFields, WRONG_CREDENTIALS } from '../auth/passport-setup';
import { landingPath } from './landing-path';
import { safeLocalPath } from '../../core/http/local-path';
import { emailSchema } from '../users/password-rules';
import { normaliseEmail } from '../users/user-repository';
import { formLimit, type LoginLimits } from '../auth/login-rate-limits';
import type { AdmittedAttempt } from '../auth/account-throttle';
import { isKnownDevice, rememberDevice } from '../auth/known-device';
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

  /** Attempts the per-account throttle admitted, until they end: as a failure, or released. */
  const admitted = new WeakMap<Request, AdmittedAttempt>();

  /**
   * The per-account throttle, for a browser the account has not signed in from (account-throttle.ts):
   * the attempt waits its turn, or is refused when that turn is further away than the cap.
   */
  const throttle: RequestHandler = async (req, res, next) => {
    const email = signInFields(req).email.slice(0, 320);
    const account = normaliseEmail(email);
    if (!namesAnAccount(account)) return next();
    const known = platform.users.findByEmail(account);
    if (known && isKnownDevice(req, platform.config, known.id)) return next();
    const reservation = limits.perAccount.reserve(account);
    if (reservation.refused) {
      const seconds = Math.max(1, Math.ceil(reservation.retryAfterMs / 1000));
      res.set('Retry-After', String(seconds));
      res.status(429).render('auth/login', {
        title: msg('Sign in'),
        values: { email, next: safeLocalPath(req.body?.next) },
        errors: {
          form: msg(
            'Too many sign-in attempts for this account from new devices; try again in {{count}} seconds. A device you signed in from before is not slowed.',
            { count: seconds },
          ),
        },
      });
      return;
    }
    admitted.set(req, reservation);
    // However the answer ends (signed in, an error, the client gone), the attempt stops counting as
    // one in progress; a wrong password has ended it before, as a failure.
    res.once('close', () => reservation.release());
    await reservation.turn();
    next();
  };

  // Past the limit per address, the sign-in form comes back with the reason and what was typed (never the password).
  const perIp = formLimit(limits.perIp, 'auth/login', () => ({ title: msg('Sign in') }));

  router.post('/login', perIp, throttle, (req, res, next) => {
    passportInstance.authenticate('local', (err: unknown, user: Express.User | false) => {
      if (err) return next(err);
      const client = clientOf(req);
      const email = signInFields(req).email.slice(0, 320);
      if (!user) {
        const account = normaliseEmail(email);
        const reservation = admitted.get(req);
        if (reservation) reservation.fail();
        else if (namesAnAccount(account)) limits.perAccount.recordFailure(account);
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
      // A new session with a new id (no fixation across sign-in), remembering where it was signed in from.
      req.login(user, (loginErr) => {
        if (loginErr) return next(loginErr);
        rememberDevice(req, res, platform.config, user.id);
        platform.audit.record({ action: 'auth.login', actorUserId: user.id, targetType: 'user', targetId: user.id, ...client });
        res.redirect(safeLocalPath(req.body?.next) ?? landingPath(platform, user));
      });
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
