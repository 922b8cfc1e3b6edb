import crypto from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';

const FLASH_COOKIE = 'tenantry.flash';

/** A short message for the next page the person sees (after a redirect): what just happened. */
export function flash(req: Request, text: string): void {
  req.flash?.(text.slice(0, 300));
}

/**
 * Carries a message across one redirect in a short-lived, signed cookie (no session write, so a
 * form POST costs no extra statement) and puts a waiting one into the page's locals, once. The
 * signature keeps another site or subdomain from planting text on our pages.
 */
export function flashMessages(secret: string, options: { secure: boolean; domain?: string }): RequestHandler {
  const sign = (value: string) => crypto.createHmac('sha256', secret).update(`flash:${value}`).digest('base64url');
  // One setter for every request (it finds the response through the request): no closure per request.
  function setFlash(this: Request, text: string): void {
    const value = Buffer.from(text, 'utf8').toString('base64url');
    (this.res as Response).cookie(FLASH_COOKIE, `${value}.${sign(value)}`, {
      httpOnly: true,
      sameSite: 'lax',
      secure: options.secure,
      maxAge: 60_000,
      path: '/',
      ...(options.domain ? { domain: options.domain } : {}),
    });
  }
  return (req, res, next) => {
    const cookie: unknown = req.cookies?.[FLASH_COOKIE];
    if (typeof cookie === 'string') {
      const [value, signature] = cookie.split('.');
      const expected = value ? sign(value) : '';
      if (value && signature && signature.length === expected.length && crypto.timingSafeEqual(Buffer.from(signature), Buffer.from(expected))) {
        res.locals.flash = Buffer.from(value, 'base64url').toString('utf8');
      }
      res.clearCookie(FLASH_COOKIE, { path: '/', ...(options.domain ? { domain: options.domain } : {}) });
    }
    req.flash = setFlash;
    next();
  };
}
