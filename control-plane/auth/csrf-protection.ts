import { doubleCsrf } from 'csrf-csrf';
import type { Request } from 'express';
import type { Config } from '../config/load-config';

/**
 * Double-submit CSRF tokens bound to the session id. Forms send the token in `_csrf`,
 * scripts in the `x-csrf-token` header. GET/HEAD/OPTIONS change nothing and are not checked.
 */
export function createCsrf(config: Config) {
  return doubleCsrf({
    getSecret: () => config.sessionSecret,
    getSessionIdentifier: (req: Request) => req.session?.id ?? '',
    cookieName: config.secureCookies ? '__Host-tenantry.csrf' : 'tenantry.csrf',
    cookieOptions: { sameSite: 'lax', secure: config.secureCookies, httpOnly: true, path: '/' },
    getCsrfTokenFromRequest: (req: Request) => (req.body && typeof req.body._csrf === 'string' ? req.body._csrf : req.headers['x-csrf-token']),
  });
}

export type Csrf = ReturnType<typeof createCsrf>;
