import { ConflictError, NotFoundError } from '../../core/errors/app-errors';
import { pausePoint } from '../../core/process/pause-point';
import type { ControlPlane } from '../control-plane';
import type { TenantRecord } from '../tenants/tenant-record';
import { statusWords } from '../tenants/tenant-record';
import { assertSlugConfirmed } from './confirm-slug';
import { completePurge } from './complete-operations';
import { finishPendingOperation } from './finish-pending-operation';
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
    const purged = await purgeHeldTenant(platform, tenantId, byOperator(operator), 'purge:marked', (current) => {
      if (!findTenantTransition('purge', current.status))
        throw new ConflictError(`Tenant ${current.slug} is ${statusWords(current.status)}; only an archived tenant can be purged.`);
      return true;
    });
    return purged as TenantRecord;
  });
}

type Actor = Parameters<typeof completePurge>[2];

/**
 * The purge's steps, for an operator's purge and an archive's window ending alike; the caller
 * holds the tenant's lock. An operation a crash cut off on the tenant is finished first: an
 * archive's move, so that the folder removed is the tenant's whole folder and none stays in the
 * live tree; a restore asked for, which brings the tenant back and leaves nothing to purge. `owed`
 * then says whether the tenant, as it is now, is still to be purged (false: left as it is,
 * undefined returned). The purge is recorded on the row before its files go.
 */
export async function purgeHeldTenant(
  platform: ControlPlane,
  tenantId: string,
  actor: Actor,
  point: 'purge:marked' | 'purge:due-marked',
  owed: (current: TenantRecord) => boolean,
  reason?: string,
): Promise<TenantRecord | undefined> {
  const pending = platform.tenants.findById(tenantId);
  if (pending?.pending_operation && pending.pending_operation !== 'purge') await finishPendingOperation(platform, pending);
  const current = platform.tenants.findById(tenantId);
  if (!current || !owed(current)) return undefined;
  platform.db.write(() => platform.tenants.update(tenantId, { pending_operation: 'purge' }));
  pausePoint(point);
  return completePurge(platform, tenantId, actor, 'purge', reason);
}
