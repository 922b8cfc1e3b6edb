import { rateLimit, ipKeyGenerator, type RateLimitRequestHandler } from 'express-rate-limit';

/**
 * Caps how many invitation writes (invite, resend, revoke) one member makes per window, so
 * a compromised or careless account cannot turn the workspace into a mail cannon.
 */
export function createInvitationSendLimit(limit = 100, windowMs = 15 * 60 * 1000): RateLimitRequestHandler {
  return rateLimit({
    windowMs,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => (req.user ? `user:${req.user.id}` : ipKeyGenerator(req.ip ?? '')),
    handler: (_req, res) => {
      res.status(429).render('errors/error', { title: 'Too many invitations', message: 'Too many invitations sent in a short time. Wait a few minutes and try again.', status: 429 });
    },
  });
}
