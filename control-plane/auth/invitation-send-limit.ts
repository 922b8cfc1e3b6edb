import { msg } from '../../core/i18n/message';
import { ipKeyGenerator, type RateLimitRequestHandler } from 'express-rate-limit';
import { pageLimit } from './login-rate-limits';

/**
 * Caps how many invitation writes (invite, resend, revoke) one member makes per window, so
 * a compromised or careless account cannot turn the workspace into a mail cannon.
 */
export function createInvitationSendLimit(limit = 100, windowMs = 15 * 60 * 1000): RateLimitRequestHandler {
  return pageLimit({
    windowMs,
    limit,
    key: (req) => (req.user ? `user:${req.user.id}` : ipKeyGenerator(req.ip ?? '')),
    title: msg('Too many invitations'),
    message: msg('Too many invitations sent in a short time.'),
  });
}
