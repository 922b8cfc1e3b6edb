import type { Platform } from '../../app/create-platform';
import { SESSION_COOKIE } from '../../control-plane/auth/session-cookie';
import { SESSION_MAX_AGE_MS } from '../../control-plane/auth/session-renewal';
import type { SessionRepository } from '../../control-plane/auth/session-repository';
import { mintSessionToken, sessionIdOf, sessionKey } from '../../control-plane/auth/session-token';

/**
 * Signed-in sessions for many users at once, without a sign-in request each: every row in one
 * transaction, each the row req.login stores (a new token's hashed id, data {}, expiry now + max
 * age; user agent and address left empty, as no request sent them) and the cookie it sends.
 * Returns each user's Cookie header, in order; the platform must be the one serving the requests
 * (its SESSION_SECRET signs them).
 * Honest because sign-in is set-up, never timed, and the cookie and row are the ones sign-in makes.
 */
export function createSessions(platform: Pick<Platform, 'config' | 'db'>, sessions: SessionRepository, userIds: string[]): string[] {
  const secret = sessionKey(platform.config.sessionSecret);
  return platform.db.write(() =>
    userIds.map((userId) => {
      const { token, cookie } = mintSessionToken(secret);
      sessions.create({ sid: sessionIdOf(token), userId, data: {}, expiresAt: Date.now() + SESSION_MAX_AGE_MS, userAgent: null, ip: null });
      return `${SESSION_COOKIE}=${cookie}`;
    }),
  );
}
