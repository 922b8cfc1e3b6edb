import { msg } from '../../core/i18n/message';
import type { Request, RequestHandler } from 'express';
import type { ControlPlane } from '../control-plane';
import type { LoginLimits } from './login-rate-limits';
import type { AdmittedAttempt } from './account-throttle';
import { isKnownDevice } from './known-device';

export interface SignInThrottle {
  /** Waits for the attempt's turn, or answers 429 with the page again. */
  middleware: RequestHandler;
  /** The password or code was wrong: the attempt counts as the account's failure. */
  failed(req: Request, account: string): void;
}

export interface ThrottledPage {
  /** The account the attempt is for (normalised email), or undefined when it names none. */
  accountOf(req: Request): string | undefined;
  view: string;
  /** What the page shows again when refused: what was typed (never a password or a code). */
  locals(req: Request): Record<string, unknown>;
}

/**
 * The per-account throttle in front of a sign-in step (the password, then the code of two-step
 * sign-in: both count against the same account), for a browser the account has not signed in from
 * (account-throttle.ts): the attempt waits its turn, or is refused when that turn is further away
 * than the cap.
 */
export function signInThrottle(platform: ControlPlane, limits: LoginLimits, page: ThrottledPage): SignInThrottle {
  /** Attempts the per-account throttle admitted, until they end: as a failure, or released. */
  const admitted = new WeakMap<Request, AdmittedAttempt>();

  const middleware: RequestHandler = async (req, res, next) => {
    const account = page.accountOf(req);
    if (account === undefined) return next();
    const known = platform.users.findByEmail(account);
    if (known && isKnownDevice(req, platform.config, known.id)) return next();
    const reservation = limits.perAccount.reserve(account);
    if (reservation.refused) {
      const seconds = Math.max(1, Math.ceil(reservation.retryAfterMs / 1000));
      res.set('Retry-After', String(seconds));
      res.status(429).render(page.view, {
        ...page.locals(req),
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

  const failed = (req: Request, account: string) => {
    const reservation = admitted.get(req);
    if (reservation) reservation.fail();
    else limits.perAccount.recordFailure(account);
  };

  return { middleware, failed };
}
