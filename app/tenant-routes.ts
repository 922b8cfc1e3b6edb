import type { Platform } from './create-platform';
import { BackgroundTasks } from '../core/jobs/background-tasks';
import { tenantAccess } from '../tenant-runtime/tenant-access-middleware';
import { TenantRouteTable } from '../tenant-runtime/tenant-route-table';
import { pathTenantResolver, type TenantResolver } from '../tenant-runtime/path-tenant-resolver';
import { subdomainTenantResolver } from '../tenant-runtime/subdomain-tenant-resolver';
import { accessRefused } from '../tenant-runtime/audit-sink';
import { membershipGate } from '../control-plane/tenants/membership-gate';
import { controlPlaneTenantRoutes } from '../control-plane/routes/control-plane-tenant-routes';
import { workspaceBranding } from '../workspace/settings/branding';
import { workspaceRoutes } from '../workspace/routes/workspace-routes';

/**
 * The page forms that upload (multipart, parsed by the route itself after its permission check):
 * an item's attachments, the workspace's logo and the CSV import's steps, under `/t/<slug>` or at
 * the root of a tenant subdomain. Every other page form is read by the front door's parsers.
 */
const PAGE_UPLOADS = /\/(?:items\/[^/]+\/attachments|settings\/logo|items\/import(?:\/(?:preview|problems\.csv|commit))?)\/?$/i;

export function takesPageUpload(path: string): boolean {
  return PAGE_UPLOADS.test(path);
}

/**
 * The resolver for a request: the router is mounted on `/t/:slug` (path routing, always on)
 * and, with BASE_DOMAIN set, at the root of tenant subdomains; the slug parameter tells which.
 */
function resolverFor(baseDomain: string | undefined): TenantResolver {
  if (!baseDomain) return pathTenantResolver;
  const bySubdomain = subdomainTenantResolver(baseDomain);
  return (req) => (req.params.slug !== undefined ? pathTenantResolver(req) : bySubdomain(req));
}

/**
 * Every tenant route, on one table: the control plane's team pages and the workspace's own.
 * Access is proven at the entry of each route, before any route sees a database.
 */
export function tenantRoutes(platform: Platform, background: BackgroundTasks = new BackgroundTasks(platform.logger)): TenantRouteTable {
  const access = tenantAccess({
    resolve: resolverFor(platform.config.baseDomain),
    gate: membershipGate(platform),
    router: platform.router,
    audit: platform.audit,
    urls: platform.urls,
    branding: workspaceBranding,
  });
  const table = new TenantRouteTable(access, (req, tenantId, permission) =>
    platform.audit.record(accessRefused(req, { tenantId, reason: 'permission', permission })),
  );
  workspaceRoutes(table, platform, (name, work) => background.run(name, work));
  controlPlaneTenantRoutes(table, platform);
  return table;
}
