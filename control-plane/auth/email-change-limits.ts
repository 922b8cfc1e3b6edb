import { msg } from '../../core/i18n/message';
import type { RateLimitRequestHandler } from 'express-rate-limit';
import { pageLimit } from './login-rate-limits';
import { normaliseEmail } from '../users/user-repository';

export interface EmailChangeLimitOptions {
  windowMs?: number;
  perAccount?: number;
  perEmail?: number;
}

/**
 * Two limits on asking to change an address, as on asking for reset links: one per account (a
 * stolen session guessing the password, or mailing notice after notice), one per address asked for
 * (someone flooding one inbox from several accounts), whatever the answer.
 */
export function createEmailChangeLimits(options: EmailChangeLimitOptions = {}): RateLimitRequestHandler[] {
  const windowMs = options.windowMs ?? 60 * 60 * 1000;
  const message = msg('Too many requests to change the email address.');
  return [
    pageLimit({ windowMs, limit: options.perAccount ?? 5, key: (req) => 'email-change:account:' + (req.user?.id ?? ''), message }),
    pageLimit({
      windowMs,
      limit: options.perEmail ?? 5,
      key: (req) => 'email-change:to:' + normaliseEmail(typeof req.body?.new_email === 'string' ? req.body.new_email.slice(0, 320) : ''),
      message,
    }),
  ];
}
