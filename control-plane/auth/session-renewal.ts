import type { RequestHandler } from 'express';

/** A session ends after this long without a request (the cookie's Max-Age and the stored expiry). */
export const SESSION_MAX_AGE_MS = 7 * 24 * 3600 * 1000;

/** How often a session in use is renewed: its stored expiry moved on and its cookie sent again. */
export const SESSION_RENEW_INTERVAL_MS = 60_000;

/**
 * Sliding expiry without re-sending the cookie on every response. A signed-in session is
 * renewed at most once per interval: the stamp changes the session, so express-session saves
 * it (stored expiry = now + max age) and sends its cookie again with the same expiry. Between
 * renewals responses carry no session cookie. A session therefore lasts at least
 * max age - interval and at most max age after its last request.
 *
 * Runs after sessionUser() (control-plane/auth/passport-setup.ts): only a session that was
 * loaded from the store and still belongs to an active user is renewed, so no session is
 * created or kept alive by it.
 */
export function sessionRenewal(intervalMs = SESSION_RENEW_INTERVAL_MS): RequestHandler {
  return (req, _res, next) => {
    if (req.user && req.session) {
      const now = Date.now();
      const renewedAt = req.session.renewedAt;
      if (renewedAt === undefined || now - renewedAt >= intervalMs || renewedAt > now) req.session.renewedAt = now;
    }
    next();
  };
}
