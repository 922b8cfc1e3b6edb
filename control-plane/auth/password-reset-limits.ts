import { msg } from '../../core/i18n/message';
import { ipKeyGenerator, type RateLimitRequestHandler } from 'express-rate-limit';
import { pageLimit } from './login-rate-limits';
import { normaliseEmail } from '../users/user-repository';

export interface PasswordResetLimitOptions {
  windowMs?: number;
  perIp?: number;
  perEmail?: number;
}

/**
 * Two limits on asking for reset links: one per client address (someone walking a list of
 * addresses), one per address asked for (someone flooding one inbox), whatever the answer.
 */
export function createPasswordResetLimits(options: PasswordResetLimitOptions = {}): RateLimitRequestHandler[] {
  const windowMs = options.windowMs ?? 60 * 60 * 1000;
  return [
    pageLimit({
      windowMs,
      limit: options.perIp ?? 20,
      key: (req) => ipKeyGenerator(req.ip ?? ''),
      title: msg('Too many requests'),
      message: msg('Too many password reset requests from your network.'),
    }),
    pageLimit({
      windowMs,
      limit: options.perEmail ?? 5,
      key: (req) => 'reset:' + normaliseEmail(typeof req.body?.email === 'string' ? req.body.email.slice(0, 320) : ''),
      title: msg('Too many requests'),
      message: msg('Too many password reset requests for this address: check your inbox.'),
    }),
  ];
}
