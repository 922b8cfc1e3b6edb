import type { Request } from 'express';
import { NotFoundError } from '../../core/errors/app-errors';
import type { ControlPlane } from '../control-plane';
import type { TenantRecord } from '../tenants/tenant-record';

/**
 * The tenant a console URL names: `/admin/tenants/<slug>` for a live tenant, or its id, which
 * also reaches a tombstone (several purged tenants may have had the same slug).
 */
export function tenantOfParam(platform: ControlPlane, req: Request): TenantRecord {
  const param = String(req.params.tenant ?? '');
  const tenant = platform.tenants.findBySlugOrId(param);
  if (!tenant) throw new NotFoundError('No such tenant.');
  return tenant;
}

/** The console page of a tenant: by slug while it holds one, by id once it is a tombstone. */
export function tenantPagePath(tenant: Pick<TenantRecord, 'id' | 'slug' | 'status'>): string {
  return `/admin/tenants/${tenant.status === 'purged' ? tenant.id : tenant.slug}`;
}
