import crypto from 'node:crypto';
import type { Request, Response } from 'express';
import type { Config } from '../../core/config/load-config';
import { sharedCookieDomain } from './session-cookie';

export const DEVICE_COOKIE = 'tenantry.device';
const DEVICE_MAX_AGE_MS = 365 * 24 * 3600 * 1000;

function mac(secret: string, userId: string, deviceId: string): string {
  return crypto.createHmac('sha256', secret).update(`device:${userId}:${deviceId}`).digest('base64url');
}

/**
 * A browser that signed in to an account before carries a signed cookie naming that account;
 * the sign-in throttle never slows or refuses such a device (account-throttle.ts). One cookie
 * holds up to a few accounts (people with several sign-ins on one computer).
 */
export function isKnownDevice(req: Request, config: Pick<Config, 'sessionSecret'>, userId: string): boolean {
  const value: unknown = req.cookies?.[DEVICE_COOKIE];
  if (typeof value !== 'string' || value.length > 1000) return false;
  return value.split(',').some((entry) => {
    const [deviceId, signature] = entry.split('.');
    if (!deviceId || !signature) return false;
    const expected = Buffer.from(mac(config.sessionSecret, userId, deviceId));
    const given = Buffer.from(signature);
    return given.length === expected.length && crypto.timingSafeEqual(given, expected);
  });
}

/** Remembers this browser for the account after a successful sign-in. */
export function rememberDevice(req: Request, res: Response, config: Pick<Config, 'sessionSecret' | 'secureCookies' | 'baseDomain'>, userId: string): void {
  if (isKnownDevice(req, config, userId)) return;
  const deviceId = crypto.randomBytes(12).toString('base64url');
  const current: unknown = req.cookies?.[DEVICE_COOKIE];
  const kept = typeof current === 'string' && current.length <= 1000 ? current.split(',').filter(Boolean).slice(-4) : [];
  const domain = sharedCookieDomain(config);
  res.cookie(DEVICE_COOKIE, [...kept, `${deviceId}.${mac(config.sessionSecret, userId, deviceId)}`].join(','), {
    httpOnly: true,
    sameSite: 'lax',
    secure: config.secureCookies,
    maxAge: DEVICE_MAX_AGE_MS,
    path: '/',
    ...(domain ? { domain } : {}),
  });
}
