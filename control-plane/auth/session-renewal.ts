/** A session ends after this long without a request (the cookie's Max-Age and the stored expiry). */
export const SESSION_MAX_AGE_MS = 7 * 24 * 3600 * 1000;

/** How often a session in use is renewed: its stored expiry moved on and its cookie sent again. */
export const SESSION_RENEW_INTERVAL_MS = 60_000;

/**
 * Sliding expiry without a write and a cookie on every response: a signed-in session is renewed
 * (stored expiry = now + max age, the cookie sent again) when it was last renewed at least an
 * interval ago, or in the future (a clock set back). Between renewals responses carry no session
 * cookie. A session therefore lasts at least max age - interval and at most max age after its
 * last request.
 */
export function needsRenewal(lastSeenAt: number, now: number, intervalMs = SESSION_RENEW_INTERVAL_MS): boolean {
  return now - lastSeenAt >= intervalMs || lastSeenAt > now;
}
