import { rateLimit, ipKeyGenerator, type RateLimitRequestHandler } from 'express-rate-limit';
import type { Request } from 'express';
import { normaliseEmail } from '../users/user-repository';

export interface LoginLimitOptions {
  windowMs?: number;
  perIp?: number;
  perAccount?: number;
}

function tooMany(message: string) {
  return { handler: (_req: Request, res: import('express').Response) => void res.status(429).render('errors/error', { title: 'Too many attempts', message, status: 429 }) };
}

/** Two limits on sign-in: one per client address, one per account (whatever address it comes from). */
export function createLoginLimits(options: LoginLimitOptions = {}): RateLimitRequestHandler[] {
  const windowMs = options.windowMs ?? 15 * 60 * 1000;
  return [
    rateLimit({
      windowMs,
      limit: options.perIp ?? 50,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      keyGenerator: (req) => ipKeyGenerator(req.ip ?? ''),
      ...tooMany('Too many sign-in attempts from your network. Wait a few minutes and try again.'),
    }),
    rateLimit({
      windowMs,
      limit: options.perAccount ?? 10,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      // Only failures count: a user who signs in correctly is never locked out by their own successes.
      skipSuccessfulRequests: true,
      keyGenerator: (req) => 'account:' + normaliseEmail(typeof req.body?.email === 'string' ? req.body.email : ''),
      ...tooMany('Too many sign-in attempts for this account. Wait a few minutes and try again.'),
    }),
  ];
}

/** A general limit for invitation and set-up endpoints (token guessing). */
export function createTokenEndpointLimit(limit = 30, windowMs = 15 * 60 * 1000): RateLimitRequestHandler {
  return rateLimit({
    windowMs,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => ipKeyGenerator(req.ip ?? ''),
    ...tooMany('Too many attempts. Wait a few minutes and try again.'),
  });
}
