import { ConflictError, NotFoundError } from '../../core/errors/app-errors';
import { diagnoseTenantFile } from '../../tenant-runtime/open-tenant-file';
import type { ControlPlane } from '../control-plane';
import type { TenantRecord } from '../tenants/tenant-record';
import { statusWords } from '../tenants/tenant-record';
import { applyTransition } from './apply-transition';
import { byOperator, type Operator } from './operator';
import { findTenantTransition } from './tenant-transitions';
import { stepJustDone } from './repeated-step';

/**
 * Brings a damaged tenant back online once its file was repaired or replaced by hand: the file
 * is checked again (integrity_check included) and only a sound one goes back to `active`. The
 * same recheck sent again from the console moments after is answered with the tenant it brought back.
 */
export function recoverTenant(platform: ControlPlane, tenantId: string, operator: Operator): TenantRecord {
  const tenant = platform.tenants.findById(tenantId);
  if (!tenant) throw new NotFoundError('No such tenant.');
  const repeated = stepJustDone(platform, tenantId, 'recover', operator);
  if (repeated) return repeated;
  if (!findTenantTransition('recover', tenant.status))
    throw new ConflictError(`Tenant ${tenant.slug} is ${statusWords(tenant.status)}; only a damaged tenant is rechecked.`);
  const problem = diagnoseTenantFile(platform.config.dataDir, tenantId, { deep: true });
  if (problem) throw new ConflictError(`Tenant ${tenant.slug} is still damaged: ${problem}. Repair or restore its file, then check again.`);
  return applyTransition(platform, tenantId, 'recover', { ...byOperator(operator), reason: 'its file passes its checks again' });
}
