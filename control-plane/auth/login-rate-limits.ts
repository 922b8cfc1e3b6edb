import { msg } from '../../core/i18n/message';
import { rateLimit, ipKeyGenerator, type RateLimitRequestHandler } from 'express-rate-limit';
import type { NextFunction, Request, Response } from 'express';
import { RateLimitedError } from '../../core/errors/app-errors';
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
  message: string;
  skipSuccessfulRequests?: boolean;
}

/**
 * One shape for every limit in the product: standard headers, a key, and a readable 429 page. A
 * limit behind a route that declared its form's page (formView) is a refusal of that form like any
 * other (decision 048): the error handler shows the page again with the message and the 429.
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
      if (res.locals.formView) return next(new RateLimitedError(spec.message));
      res.status(429).render('errors/error', { title: spec.title ?? msg('Too many attempts'), message: spec.message, status: 429 });
    },
  });
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
      message: msg('Too many sign-in attempts from your network. Wait a few minutes and try again.'),
    }),
    perAccount: new AccountThrottle({ windowMs, ...options }),
  };
}

/** A general limit for invitation and set-up endpoints (token guessing). */
export function createTokenEndpointLimit(limit = 30, windowMs = 15 * 60 * 1000): RateLimitRequestHandler {
  return pageLimit({ windowMs, limit, key: (req) => ipKeyGenerator(req.ip ?? ''), message: msg('Too many attempts. Wait a few minutes and try again.') });
}
