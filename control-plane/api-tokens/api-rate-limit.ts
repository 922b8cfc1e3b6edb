import { rateLimit, ipKeyGenerator, type RateLimitRequestHandler } from 'express-rate-limit';
import type { Request } from 'express';
import { instanceOf, problemOf, sendProblem } from '../../core/http/problem-json';

/** Who a limit counts: the token, else the signed-in user, else the client address. */
export function apiClientKey(req: Request): string {
  if (req.apiToken) return `token:${req.apiToken.tokenId}`;
  if (req.user) return `user:${req.user.id}`;
  return `ip:${ipKeyGenerator(req.ip ?? '')}`;
}

/**
 * A limit on the REST API, answered as problem+json (429) with the standard `RateLimit` and
 * `RateLimit-Policy` headers (IETF draft 8) on every answer, so clients can pace themselves.
 */
export function apiLimit(options: { limit: number; windowMs: number; message: string; key?: (req: Request) => string }): RateLimitRequestHandler {
  return rateLimit({
    windowMs: options.windowMs,
    limit: options.limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: options.key ?? apiClientKey,
    handler: (req, res) => sendProblem(res, problemOf(429, 'rate_limited', options.message, { instance: instanceOf(req), requestId: req.id })),
  });
}

/** The per-token limit on every REST API request (API_RATE_LIMIT requests a minute). */
export function createApiRateLimit(perMinute: number): RateLimitRequestHandler {
  return apiLimit({
    limit: perMinute,
    windowMs: 60_000,
    message: `At most ${perMinute} requests a minute per token. Wait and try again (see the RateLimit header).`,
  });
}
