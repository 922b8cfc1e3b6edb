import crypto from 'node:crypto';
import type { Request, Response } from 'express';
import type { Config } from '../../core/config/load-config';
import type { ControlPlane } from '../control-plane';
import type { UserRecord } from '../users/user-record';

export const PENDING_COOKIE = 'tenantry.two-step';
export const PENDING_MAX_AGE_MS = 5 * 60 * 1000;
/** The only path the cookie is sent to: no other page even sees it. */
const PENDING_PATH = '/login/code';

/**
 * The MAC binds the account, the expiry, this browser's session id (its visitor cookie) and the
 * account's password hash: copied to another browser, kept past five minutes, or after a new
 * password, it proves nothing.
 */
function mac(secret: string, userId: string, expiresAt: number, sid: string, passwordHash: string): string {
  return crypto.createHmac('sha256', secret).update(`two-step-pending\0${userId}\0${expiresAt}\0${sid}\0${passwordHash}`).digest('base64url');
}

function cookieOptions(config: Pick<Config, 'secureCookies'>) {
  return { httpOnly: true, sameSite: 'lax', secure: config.secureCookies, path: PENDING_PATH } as const;
}

/**
 * A right password for an account with two-step sign-in: the browser gets a signed cookie, valid
 * five minutes, that the code page alone reads (decision 060). The session stays a visitor's, so
 * every other page, the API and the workspaces treat the browser as signed out.
 */
export function beginPendingSignIn(req: Request, res: Response, config: Pick<Config, 'sessionSecret' | 'secureCookies'>, user: UserRecord): void {
  // The visitor's session id, made now if the browser had none (the sign-in form's CSRF token made one).
  const sid = req.sessionID ?? (res.csrfToken(), req.sessionID ?? '');
  const expiresAt = Date.now() + PENDING_MAX_AGE_MS;
  const value = `${user.id}.${expiresAt}.${mac(config.sessionSecret, user.id, expiresAt, sid, user.password_hash)}`;
  res.cookie(PENDING_COOKIE, value, { ...cookieOptions(config), maxAge: PENDING_MAX_AGE_MS });
}

/** The active account this browser proved the password of within five minutes, else undefined. */
export function pendingSignIn(req: Request, platform: Pick<ControlPlane, 'users' | 'config'>, now = Date.now()): UserRecord | undefined {
  const value: unknown = req.cookies?.[PENDING_COOKIE];
  if (typeof value !== 'string' || value.length > 200 || !req.sessionID) return undefined;
  const [userId, expires, given] = value.split('.');
  const expiresAt = Number(expires);
  if (!userId || !given || !/^\d{13}$/.test(expires ?? '') || expiresAt <= now || expiresAt > now + PENDING_MAX_AGE_MS) return undefined;
  const user = platform.users.findById(userId);
  if (!user || user.status !== 'active') return undefined;
  const expected = Buffer.from(mac(platform.config.sessionSecret, userId, expiresAt, req.sessionID, user.password_hash));
  const got = Buffer.from(given);
  return got.length === expected.length && crypto.timingSafeEqual(got, expected) ? user : undefined;
}

export function endPendingSignIn(res: Response, config: Pick<Config, 'secureCookies'>): void {
  res.clearCookie(PENDING_COOKIE, cookieOptions(config));
}
