import { msg } from '../../core/i18n/message';
import type { ControlPlane } from '../control-plane';
import { ConflictError, NotFoundError } from '../../core/errors/app-errors';
import type { TenantRecord } from './tenant-record';

/**
 * Suspends or resumes a tenant. Suspending closes its open handle at once (or as soon as
 * the request using it finishes) and its pages answer 404 to everyone but super admins.
 */
export function changeTenantStatus(platform: ControlPlane, tenantIdOrSlug: string, to: 'suspended' | 'active', actorUserId: string | null): TenantRecord {
  return platform.db.write(() => {
    const tenant = platform.tenants.findById(tenantIdOrSlug) ?? platform.tenants.findBySlug(tenantIdOrSlug);
    if (!tenant) throw new NotFoundError(msg('No such tenant.'));
    const allowedFrom = to === 'suspended' ? ['active'] : ['suspended'];
    if (!allowedFrom.includes(tenant.status))
      throw new ConflictError(`Tenant ${tenant.slug} is ${tenant.status}; it cannot be ${to === 'suspended' ? 'suspended' : 'resumed'}.`);
    // The repository tells the change feed: the access cache forgets the tenant and a suspended tenant's handle is closed.
    platform.tenants.update(tenant.id, { status: to });
    platform.audit.record({
      action: to === 'suspended' ? 'tenant.suspend' : 'tenant.resume',
      actorUserId,
      tenantId: tenant.id,
      targetType: 'tenant',
      targetId: tenant.id,
      before: { status: tenant.status },
      after: { status: to },
    });
    return platform.tenants.findById(tenant.id) as TenantRecord;
  });
}
