import type { Response } from 'express';
import type { Config } from '../../core/config/load-config';
import { baseDomainHost } from '../../tenant-runtime/subdomain-tenant-resolver';

export const SESSION_COOKIE = 'tenantry.sid';

/**
 * With BASE_DOMAIN set, the session and CSRF cookies name it as their domain, so one sign-in
 * works on the deployment's own host and on every tenant subdomain. Unset: host-only cookies.
 */
export function sharedCookieDomain(config: Pick<Config, 'baseDomain'>): string | undefined {
  return config.baseDomain ? baseDomainHost(config.baseDomain) : undefined;
}

/** Removes the session cookie from the browser (sign-out, password change), with the domain it was set with. */
export function clearSessionCookie(res: Response, config: Pick<Config, 'baseDomain'>): void {
  const domain = sharedCookieDomain(config);
  res.clearCookie(SESSION_COOKIE, domain ? { domain } : {});
}
