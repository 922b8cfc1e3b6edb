import { msg, nested } from '../../core/i18n/message';
import { rateLimit, ipKeyGenerator, type RateLimitRequestHandler } from 'express-rate-limit';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { RateLimitedError } from '../../core/errors/app-errors';
import { formView, type FormLocals } from '../../core/http/form-view';
import { AccountThrottle, type AccountThrottleOptions } from './account-throttle';

export interface LoginLimitOptions extends AccountThrottleOptions {
  windowMs?: number;
  perIp?: number;
}

/** What sign-in is guarded by: a limit per client address, and the per-account throttle. */
export interface LoginLimits {
  perIp: RateLimitRequestHandler;
  perAccount: AccountThrottle;
}

export interface LimitSpec {
  limit: number;
  windowMs: number;
  key: (req: Request) => string;
  title?: string;
  /** Why the request was refused; when it may be sent again is added from the limit's window. */
  message: string;
  skipSuccessfulRequests?: boolean;
}

/**
 * One shape for every limit in the product: standard headers (Retry-After among them), a key, and
 * a readable 429 that says why and in how many minutes to try again. A limit behind a route that
 * declared its form's page (formView, or formLimit in front of a form) is a refusal of that form
 * like any other (decision 048): the error handler shows the page again with the message and the 429.
 */
export function pageLimit(spec: LimitSpec): RateLimitRequestHandler {
  return rateLimit({
    windowMs: spec.windowMs,
    limit: spec.limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    skipSuccessfulRequests: spec.skipSuccessfulRequests ?? false,
    keyGenerator: spec.key,
    handler: (_req: Request, res: Response, next: NextFunction) => {
      const message = withRetryTime(spec.message, Number(res.getHeader('Retry-After')));
      if (res.locals.formView) return next(new RateLimitedError(message));
      res.status(429).render('errors/error', { title: spec.title ?? msg('Too many attempts'), message, status: 429 });
    },
  });
}

/** The reason, and when to try again: the Retry-After the limit set, in whole minutes (at least one). */
function withRetryTime(reason: string, retryAfterSeconds: number): string {
  const minutes = Number.isFinite(retryAfterSeconds) ? Math.max(1, Math.ceil(retryAfterSeconds / 60)) : 1;
  return msg('{{reason}} Try again in {{count}} minutes.', { reason: nested(reason), count: minutes });
}

/**
 * A limit in front of a form that has not declared its page yet (sign-in, first-run set-up, a
 * reset or an invitation link): met, it shows `view` again like any refused form, what was typed
 * kept; passed, the route goes on as if nothing was declared. The page's locals must not depend on
 * a link's token being valid: past the limit, an answer that differed by it would let guesses go on.
 */
export function formLimit(limit: RequestHandler, view: string, locals: (req: Request) => FormLocals): RequestHandler {
  // Read now: the error handler runs after express has reset req.params.
  return (req, res, next) =>
    formView(view, locals(req))(req, res, () =>
      limit(req, res, (err?: unknown) => {
        if (err === undefined) res.locals.formView = res.locals.formLocals = undefined;
        next(err);
      }),
    );
}

/**
 * Sign-in is limited per client address (a hard limit), and per account by a throttle that
 * slows guesses from unknown devices without ever refusing the owner's own device.
 */
export function createLoginLimits(options: LoginLimitOptions = {}): LoginLimits {
  const windowMs = options.windowMs ?? 15 * 60 * 1000;
  return {
    perIp: pageLimit({
      windowMs,
      limit: options.perIp ?? 50,
      key: (req) => ipKeyGenerator(req.ip ?? ''),
      message: msg('Too many sign-in attempts from your network.'),
    }),
    perAccount: new AccountThrottle({ windowMs, ...options }),
  };
}

/** A general limit for invitation and set-up endpoints (token guessing). */
export function createTokenEndpointLimit(limit = 30, windowMs = 15 * 60 * 1000): RateLimitRequestHandler {
  return pageLimit({ windowMs, limit, key: (req) => ipKeyGenerator(req.ip ?? ''), message: msg('Too many attempts.') });
}
