import type { TenantRecord } from './tenant-record';

/** The one name a tenant goes by outside its pages: its workspace's display name once set, else the super admin's. */
export function shownName(tenant: Pick<TenantRecord, 'name' | 'display_name'>): string {
  return tenant.display_name || tenant.name;
}
