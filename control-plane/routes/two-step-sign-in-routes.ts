import { msg } from '../../core/i18n/message';
import { Router, type Request, type RequestHandler } from 'express';
import { clientOf } from '../../core/http/client-of';
import { safeLocalPath } from '../../core/http/local-path';
import { formView } from '../../core/http/form-view';
import { parseInput } from '../../core/http/parse-input';
import type { ControlPlane } from '../control-plane';
import { formLimit, type LoginLimits } from '../auth/login-rate-limits';
import { signInThrottle } from '../auth/sign-in-throttle';
import { endPendingSignIn, pendingSignIn } from '../two-step/pending-sign-in';
import { checkSecondStep } from '../two-step/second-step';
import { signInCodeSchema } from '../two-step/two-step-input';
import { toSessionUser, type UserRecord } from '../users/user-record';
import { landingPath } from './landing-path';
import { completeSignIn } from './complete-sign-in';

const TITLE = msg('Two-step sign-in');
const EXPIRED = msg('Sign in again: the code was not given within 5 minutes of the password.');
const WRONG_CODE = msg('is not a code your app shows now, nor one of your recovery codes');

/**
 * The second step of signing in (decision 060): after a right password, an account with two-step
 * sign-in gives a code from its app or a recovery code. Wrong codes count against the same
 * per-account throttle and per-address limit as passwords.
 */
export function twoStepSignInRoutes(platform: ControlPlane, limits: LoginLimits): Router {
  const router = Router();
  const nextOf = (req: Request) => safeLocalPath((req.body as { next?: unknown } | undefined)?.next ?? req.query.next);
  const locals = (req: Request) => ({ title: TITLE, values: { next: nextOf(req) } });

  /** The account whose password this browser proved moments ago, read once per request. */
  const pending = new WeakMap<Request, UserRecord>();
  const expired = (req: Request, res: Parameters<RequestHandler>[1], status: number) => {
    endPendingSignIn(res, platform.config);
    res.status(status).render('auth/login', { title: msg('Sign in'), values: { next: nextOf(req) }, errors: {}, notice: EXPIRED });
  };

  router.get('/login/code', (req, res) => {
    if (req.user) return res.redirect(landingPath(platform, req.user));
    if (!pendingSignIn(req, platform)) return expired(req, res, 200);
    res.set('Cache-Control', 'no-store');
    res.render('auth/login-code', { ...locals(req), errors: {} });
  });

  const needsPending: RequestHandler = (req, res, next) => {
    const user = pendingSignIn(req, platform);
    if (!user) return expired(req, res, 401);
    pending.set(req, user);
    next();
  };

  const throttle = signInThrottle(platform, limits, { accountOf: (req) => pending.get(req)?.email, view: 'auth/login-code', locals });
  // Past the limit per address (the one passwords count against too), the code form comes back with the 429.
  const perIp = formLimit(limits.perIp, 'auth/login-code', locals);
  const codeForm: RequestHandler = (req, res, next) => formView('auth/login-code', locals(req))(req, res, next);

  router.post('/login/code', perIp, needsPending, throttle.middleware, codeForm, (req, res, next) => {
    const user = pending.get(req) as UserRecord;
    const { code } = parseInput(signInCodeSchema, req.body);
    const proof = checkSecondStep(platform, user.id, code, clientOf(req));
    if (!proof) {
      throttle.failed(req, user.email);
      res.status(401).render('auth/login-code', { ...locals(req), errors: { code: WRONG_CODE } });
      return;
    }
    endPendingSignIn(res, platform.config);
    completeSignIn(platform, req, res, next, toSessionUser(user), { twoStep: proof });
  });

  return router;
}
