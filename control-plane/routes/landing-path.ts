import type { ControlPlane } from '../control-plane';
import type { SessionUser } from '../users/user-record';

/** Where a user lands after sign-in: their default tenant, the last one used, else an overview. */
export function landingPath(platform: ControlPlane, user: SessionUser): string {
  const record = platform.users.findById(user.id);
  const mine = platform.access.tenantsOfUser(user.id);
  for (const preferred of [record?.default_tenant_id, record?.last_tenant_id]) {
    const tenant = preferred ? mine.find((t) => t.tenant_id === preferred) : undefined;
    if (tenant) return platform.urls.tenantUrl(tenant.slug);
  }
  if (user.isSuperAdmin) return '/admin/tenants';
  if (mine.length === 1) return platform.urls.tenantUrl(mine[0].slug);
  if (mine.length === 0) {
    // None open: a member of a workspace closed for now (suspended, damaged, being restored) lands
    // on its notice, the one they chose or used last when they have several.
    const closed = platform.memberships.listClosedTenantsOfUser(user.id);
    const chosen = closed.find((t) => t.tenant_id === record?.default_tenant_id) ?? closed.find((t) => t.tenant_id === record?.last_tenant_id);
    const landing = chosen ?? (closed.length === 1 ? closed[0] : undefined);
    if (landing) return platform.urls.tenantUrl(landing.slug);
  }
  return '/tenants';
}
