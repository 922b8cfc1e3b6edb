import { doubleCsrf } from 'csrf-csrf';
import type { Request } from 'express';
import type { Config } from '../../core/config/load-config';
import { sharedCookieDomain } from './session-cookie';

/**
 * Double-submit CSRF tokens bound to the session id. Forms send the token in `_csrf`,
 * scripts in the `x-csrf-token` header. GET/HEAD/OPTIONS change nothing and are not checked.
 * A multipart (upload) form's body is parsed only after the route's permission check, so its
 * token travels in the action's query string instead (docs/decisions/008-tenant-settings.md).
 */
function tokenFromRequest(req: Request): string | undefined {
  if (req.body && typeof req.body._csrf === 'string') return req.body._csrf;
  const header = req.headers['x-csrf-token'];
  if (typeof header === 'string') return header;
  if (req.is('multipart/form-data') && typeof req.query._csrf === 'string') return req.query._csrf;
  return undefined;
}

export function createCsrf(config: Config) {
  const domain = sharedCookieDomain(config);
  // __Host- cookies may not name a domain; a cookie shared by the tenant subdomains takes __Secure-.
  const prefix = config.secureCookies ? (domain ? '__Secure-' : '__Host-') : '';
  return doubleCsrf({
    getSecret: () => config.sessionSecret,
    getSessionIdentifier: (req: Request) => req.sessionID ?? '',
    cookieName: `${prefix}tenantry.csrf`,
    cookieOptions: { sameSite: 'lax', secure: config.secureCookies, httpOnly: true, path: '/', ...(domain ? { domain } : {}) },
    getCsrfTokenFromRequest: tokenFromRequest,
  });
}
