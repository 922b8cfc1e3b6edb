import type { Request } from 'express';
import { isWellFormedSlug } from './slug-rules';
import type { TenantResolver } from './path-tenant-resolver';

/** The host name of BASE_DOMAIN, without a port and in lower case. */
export function baseDomainHost(baseDomain: string): string {
  return baseDomain.replace(/:\d+$/, '').toLowerCase();
}

/**
 * The label in front of BASE_DOMAIN (`acme.example.com` -> `acme`), or undefined for the bare
 * domain and for hosts outside it. Only one label: `a.b.example.com` names no tenant.
 */
export function subdomainOf(hostname: string | undefined, baseHost: string): string | undefined {
  if (!hostname) return undefined;
  const host = hostname.toLowerCase();
  const suffix = `.${baseHost}`;
  if (!host.endsWith(suffix)) return undefined;
  const label = host.slice(0, -suffix.length);
  return label && !label.includes('.') ? label : undefined;
}

/**
 * `<slug>.<BASE_DOMAIN>/...`. A request on a subdomain names that tenant whatever its path;
 * a label that is not a well-formed slug (`www`, reserved words) names none, and so gets the
 * same 404 as an unknown tenant.
 */
export function subdomainTenantResolver(baseDomain: string): TenantResolver {
  const baseHost = baseDomainHost(baseDomain);
  return (req) => {
    const label = subdomainOf(req.hostname, baseHost);
    return label !== undefined && isWellFormedSlug(label) ? { slug: label, onSubdomain: true } : undefined;
  };
}

/**
 * Whether a request came in on a host under BASE_DOMAIN, however many labels deep: the tenant
 * pages are served at its root, so a host that names no tenant (`a.b.example.com`) gets their 404.
 */
export function isOnSubdomain(req: Request, baseDomain: string): boolean {
  return req.hostname?.toLowerCase().endsWith(`.${baseDomainHost(baseDomain)}`) ?? false;
}
