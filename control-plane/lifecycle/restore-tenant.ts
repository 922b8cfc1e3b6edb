import { ConflictError, NotFoundError } from '../../core/errors/app-errors';
import { pausePoint } from '../../core/process/pause-point';
import type { ControlPlane } from '../control-plane';
import type { TenantRecord } from '../tenants/tenant-record';
import { statusWords } from '../tenants/tenant-record';
import { completeArchive, completeRestore } from './complete-operations';
import { byOperator, type Operator } from './operator';
import { withTenantLock } from './tenant-lock';
import { findTenantTransition } from './tenant-transitions';

/**
 * Brings an archived tenant back as it was: its folder renamed back into the live tree, then
 * the status it had before (a suspension with its reason and end date included). The restore
 * is recorded as pending first, so a crash half-way is finished by the next start.
 */
export async function restoreTenant(platform: ControlPlane, tenantId: string, operator: Operator): Promise<TenantRecord> {
  const { dataDir } = platform.config;
  return withTenantLock(dataDir, tenantId, async () => {
    const tenant = platform.tenants.findById(tenantId);
    if (!tenant) throw new NotFoundError('No such tenant.');
    if (!findTenantTransition('restore', tenant.status))
      throw new ConflictError(`Tenant ${tenant.slug} is ${statusWords(tenant.status)}; it cannot be restored.`);
    // An archive whose move was cut off is finished first, so there is one folder to bring back.
    if (tenant.pending_operation === 'archive') await completeArchive(platform, tenantId);
    platform.db.write(() => platform.tenants.update(tenantId, { pending_operation: 'restore' }));
    pausePoint('restore:marked');
    return completeRestore(platform, tenantId, byOperator(operator));
  });
}
