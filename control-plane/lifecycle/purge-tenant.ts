import { ConflictError, NotFoundError } from '../../core/errors/app-errors';
import { pausePoint } from '../../core/process/pause-point';
import type { ControlPlane } from '../control-plane';
import type { TenantRecord } from '../tenants/tenant-record';
import { statusWords } from '../tenants/tenant-record';
import { assertSlugConfirmed } from './confirm-slug';
import { completeArchive, completePurge } from './complete-operations';
import { byOperator, type Operator } from './operator';
import { withTenantLock } from './tenant-lock';
import { fileStepJustDone } from './repeated-step';
import { findTenantTransition } from './tenant-transitions';

/**
 * Purges an archived tenant before its window ends, confirmed by its slug: its files are
 * removed and its row stays as a tombstone (slug, dates, who) that no longer holds the slug.
 */
export async function purgeTenant(platform: ControlPlane, tenantId: string, input: unknown, operator: Operator): Promise<TenantRecord> {
  const tenant = platform.tenants.findById(tenantId);
  if (!tenant) throw new NotFoundError('No such tenant.');
  assertSlugConfirmed(tenant, input);
  const repeated = await fileStepJustDone(platform, tenantId, 'purge', operator);
  if (repeated) return repeated;
  return withTenantLock(platform.config.dataDir, tenantId, async () => {
    const current = platform.tenants.findById(tenantId) as TenantRecord;
    if (!findTenantTransition('purge', current.status))
      throw new ConflictError(`Tenant ${current.slug} is ${statusWords(current.status)}; only an archived tenant can be purged.`);
    if (current.pending_operation === 'archive') await completeArchive(platform, tenantId);
    platform.db.write(() => platform.tenants.update(tenantId, { pending_operation: 'purge' }));
    pausePoint('purge:marked');
    return completePurge(platform, tenantId, byOperator(operator), 'purge');
  });
}
