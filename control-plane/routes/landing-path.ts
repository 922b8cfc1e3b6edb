import type { ControlPlane } from '../control-plane';
import type { UserTenantRow } from '../memberships/membership-repository';
import type { SessionUser, UserRecord } from '../users/user-record';

/** The default workspace, else the last one used, else (for anyone but a super admin, who lands on the console) the only one. */
function chosenOf(user: SessionUser, record: UserRecord | undefined, mine: UserTenantRow[]): UserTenantRow | undefined {
  for (const preferred of [record?.default_tenant_id, record?.last_tenant_id]) {
    const tenant = preferred ? mine.find((t) => t.tenant_id === preferred) : undefined;
    if (tenant) return tenant;
  }
  return !user.isSuperAdmin && mine.length === 1 ? mine[0] : undefined;
}

/**
 * The open workspace a user lands in after sign-in, which is also their session's current one
 * until they switch: the context API and the switcher name the workspace the user was taken to.
 */
export function landingTenant(platform: ControlPlane, user: SessionUser): UserTenantRow | undefined {
  return chosenOf(user, platform.users.findById(user.id), platform.access.tenantsOfUser(user.id));
}

/** Where a user lands after sign-in: their default tenant, the last one used, else an overview. */
export function landingPath(platform: ControlPlane, user: SessionUser): string {
  const record = platform.users.findById(user.id);
  const mine = platform.access.tenantsOfUser(user.id);
  const chosen = chosenOf(user, record, mine);
  if (chosen) return platform.urls.tenantUrl(chosen.slug);
  if (user.isSuperAdmin) return '/admin/tenants';
  if (mine.length === 0) {
    // None open: a member of a workspace closed for now (suspended, damaged, being restored) lands
    // on its notice, the one they chose or used last when they have several.
    const closed = platform.memberships.listClosedTenantsOfUser(user.id);
    const chosenClosed = closed.find((t) => t.tenant_id === record?.default_tenant_id) ?? closed.find((t) => t.tenant_id === record?.last_tenant_id);
    const landing = chosenClosed ?? (closed.length === 1 ? closed[0] : undefined);
    if (landing) return platform.urls.tenantUrl(landing.slug);
  }
  return '/tenants';
}
