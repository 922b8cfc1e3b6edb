import { rateLimit, ipKeyGenerator, type RateLimitRequestHandler } from 'express-rate-limit';
import type { Request, Response } from 'express';
import { normaliseEmail } from '../users/user-repository';

export interface LoginLimitOptions {
  windowMs?: number;
  perIp?: number;
  perAccount?: number;
}

export interface LimitSpec {
  limit: number;
  windowMs: number;
  key: (req: Request) => string;
  title?: string;
  message: string;
  skipSuccessfulRequests?: boolean;
}

/** One shape for every limit in the product: standard headers, a key, and a readable 429 page. */
export function pageLimit(spec: LimitSpec): RateLimitRequestHandler {
  return rateLimit({
    windowMs: spec.windowMs,
    limit: spec.limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    skipSuccessfulRequests: spec.skipSuccessfulRequests ?? false,
    keyGenerator: spec.key,
    handler: (_req: Request, res: Response) =>
      void res.status(429).render('errors/error', { title: spec.title ?? 'Too many attempts', message: spec.message, status: 429 }),
  });
}

/** Two limits on sign-in: one per client address, one per account (whatever address it comes from). */
export function createLoginLimits(options: LoginLimitOptions = {}): RateLimitRequestHandler[] {
  const windowMs = options.windowMs ?? 15 * 60 * 1000;
  return [
    pageLimit({
      windowMs,
      limit: options.perIp ?? 50,
      key: (req) => ipKeyGenerator(req.ip ?? ''),
      message: 'Too many sign-in attempts from your network. Wait a few minutes and try again.',
    }),
    pageLimit({
      windowMs,
      limit: options.perAccount ?? 10,
      // Only failures count: a user who signs in correctly is never locked out by their own successes.
      skipSuccessfulRequests: true,
      key: (req) => 'account:' + normaliseEmail(typeof req.body?.email === 'string' ? req.body.email : ''),
      message: 'Too many sign-in attempts for this account. Wait a few minutes and try again.',
    }),
  ];
}

/** A general limit for invitation and set-up endpoints (token guessing). */
export function createTokenEndpointLimit(limit = 30, windowMs = 15 * 60 * 1000): RateLimitRequestHandler {
  return pageLimit({ windowMs, limit, key: (req) => ipKeyGenerator(req.ip ?? ''), message: 'Too many attempts. Wait a few minutes and try again.' });
}
