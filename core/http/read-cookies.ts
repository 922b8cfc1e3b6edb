import { parse } from 'cookie';
import type { RequestHandler } from 'express';

/**
 * `req.cookies`: the request's cookies by name, parsed by `cookie` (an empty object when there
 * are none). Nothing else: Tenantry signs its cookies itself (the session's HMAC, the CSRF and
 * flash cookies' own), so cookie-parser's signed and JSON cookies, and the three properties it
 * adds to every request, bought nothing (docs/decisions/036-front-door-ahead-of-the-router.md).
 */
export const readCookies: RequestHandler = (req, _res, next) => {
  const header = req.headers.cookie;
  req.cookies = header ? parse(header) : {};
  next();
};
