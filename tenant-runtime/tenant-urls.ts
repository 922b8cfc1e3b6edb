/**
 * The one URL builder for tenant pages, in code and views. Path routing (`/t/<slug>/...`) is
 * always on; with BASE_DOMAIN set, a tenant's canonical address is its subdomain
 * (`<slug>.<BASE_DOMAIN>`), and a request that came in on a subdomain keeps its links there.
 */
export interface TenantUrls {
  /** A link to a tenant page from anywhere (another tenant, the account page, the console). */
  tenantUrl: (slug: string, path?: string) => string;
  /** The same address, absolute, to show or send (mails, the new tenant's page). */
  publicTenantUrl: (slug: string, path?: string) => string;
  /** The base a request's links are built on: `/t/<slug>` for path routing, `` on the tenant's own subdomain. */
  basePath(slug: string, onSubdomain: boolean): string;
}

export interface TenantUrlOptions {
  /** The deployment's public address (scheme and, for subdomains, the port come from it). */
  baseUrl: string;
  /** Set: tenants are addressed as subdomains of this host (it may carry a port). */
  baseDomain?: string;
}

export function tenantUrls(options: TenantUrlOptions): TenantUrls {
  const { baseDomain, baseUrl } = options;
  const { protocol, port } = new URL(baseUrl);
  // A port written in BASE_DOMAIN wins; otherwise the subdomains answer on BASE_URL's port.
  const tenantHost = baseDomain && !/:\d+$/.test(baseDomain) && port ? `${baseDomain}:${port}` : baseDomain;
  const tenantUrl = (slug: string, path = '') => (tenantHost ? `${protocol}//${slug}.${tenantHost}${path || '/'}` : `/t/${slug}${path}`);
  return {
    tenantUrl,
    publicTenantUrl(slug, path = '') {
      const url = tenantUrl(slug, path);
      return url.startsWith('/') ? baseUrl + url : url;
    },
    basePath(slug, onSubdomain) {
      return onSubdomain ? '' : `/t/${slug}`;
    },
  };
}

/** A link under a tenant's base path (`/t/acme`, or `` on its subdomain): a path inside it (`/items/4`), or `` for its home page. */
export function linkUnder(base: string, path = ''): string {
  return base === '' ? path || '/' : base + path;
}
