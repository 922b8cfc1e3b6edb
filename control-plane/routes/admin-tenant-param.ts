import type { Request } from 'express';
import { NotFoundError } from '../../core/errors/app-errors';
import type { ControlPlane } from '../control-plane';
import type { TenantRecord } from '../tenants/tenant-record';
import { isDoubleSubmit } from '../../core/http/double-submit';

/**
 * The tenant a console or admin API URL names: its slug for a live tenant, or its id, which also
 * reaches a tombstone (several purged tenants may have had the same slug); anything else is a 404.
 */
export function tenantBySlugOrId(platform: ControlPlane, slugOrId: string): TenantRecord {
  const tenant = platform.tenants.findBySlugOrId(slugOrId);
  if (!tenant) throw new NotFoundError('No such tenant.');
  return tenant;
}

/** The tenant a console URL names: `/admin/tenants/<slug or id>`. */
export function tenantOfParam(platform: ControlPlane, req: Request): TenantRecord {
  return tenantBySlugOrId(platform, String(req.params.tenant ?? ''));
}

/**
 * tenantOfParam, and for a slug no tenant holds, the tenant purged under it by this super admin
 * moments ago (DOUBLE_SUBMIT_MS): a purge or discard form sent again finds what the first one
 * purged, and is answered with it, not with a 404 for the slug that step freed.
 */
export function tenantOrJustPurged(platform: ControlPlane, req: Request): TenantRecord {
  try {
    return tenantOfParam(platform, req);
  } catch (error) {
    const purged = platform.tenants.purgedWithSlug(String(req.params.tenant ?? ''))[0];
    if (!(error instanceof NotFoundError) || !purged || purged.status_changed_by !== (req.user?.id ?? null) || !isDoubleSubmit(purged.status_changed_at ?? 0))
      throw error;
    return purged;
  }
}

/** The console page of a tenant: by slug while it holds one, by id once it is a tombstone. */
export function tenantPagePath(tenant: Pick<TenantRecord, 'id' | 'slug' | 'status'>): string {
  return `/admin/tenants/${tenant.status === 'purged' ? tenant.id : tenant.slug}`;
}
