import crypto from 'node:crypto';

/**
 * The one-time token of the first-run page. It lives in memory only: a restart prints a new
 * one, and it stops working once any user exists.
 */
export class SetupToken {
  readonly value = crypto.randomBytes(24).toString('base64url');

  matches(candidate: unknown): boolean {
    if (typeof candidate !== 'string') return false;
    const a = Buffer.from(candidate);
    const b = Buffer.from(this.value);
    return a.length === b.length && crypto.timingSafeEqual(a, b);
  }
}
