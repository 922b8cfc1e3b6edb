import { ConflictError } from '../../core/errors/app-errors';
import type { ControlPlane } from '../control-plane';
import type { TenantRecord } from '../tenants/tenant-record';
import { applyTransition, type TransitionInput } from './apply-transition';
import { forgetTenantRows } from './forget-tenant-rows';
import { moveToArchive, moveToLive, removeArchived } from './tenant-folders';
import { TenantStatusHistory } from './tenant-status-history';

/**
 * The second halves of the file operations, run once the operation is recorded on the row:
 * by the command that started it, or by the sweep that finishes one a crash cut off. Each is
 * idempotent. The caller holds the tenant's lock.
 */
type Actor = Pick<TransitionInput, 'actorUserId' | 'by' | 'ip' | 'userAgent'>;

/** Closes the tenant's handle (waiting for requests using it) and moves its folder to the archive. */
export async function completeArchive(platform: ControlPlane, tenantId: string): Promise<void> {
  await platform.router.closeTenantAndWait(tenantId);
  moveToArchive(platform.config.dataDir, tenantId);
  platform.tenants.update(tenantId, { pending_operation: null });
}

/** The second half of a restore (also run by the sweep that finishes one cut off). The caller holds the lock. */
export function completeRestore(platform: ControlPlane, tenantId: string, actor: Actor): TenantRecord {
  const where = moveToLive(platform.config.dataDir, tenantId);
  if (where === 'missing') throw new ConflictError('The archived folder of this tenant is missing; nothing was restored. Run "tenantry doctor".', { tenantId });
  const history = new TenantStatusHistory(platform.db);
  const previous = history.statusBefore(tenantId, 'archived');
  const entered = previous ? history.lastInto(tenantId, previous) : undefined;
  const stillSuspended = previous === 'suspended' && entered;
  return applyTransition(platform, tenantId, 'restore', {
    ...actor,
    reason: stillSuspended ? entered.reason : null,
    until: stillSuspended ? entered.until : null,
    failure: previous === 'damaged' ? (entered?.reason ?? null) : null,
    pendingOperation: null,
  });
}

/**
 * Removes the files and writes the tombstone (purge of an archive, by an operator or because
 * its window passed; also the second half of a purge cut off). The caller holds the lock.
 */
export function completePurge(platform: ControlPlane, tenantId: string, actor: Actor, action: 'purge' | 'discard', reason?: string): TenantRecord {
  removeArchived(platform.config.dataDir, tenantId);
  return platform.db.write(() => {
    const purged = applyTransition(platform, tenantId, action, { ...actor, reason: reason ?? null, pendingOperation: null });
    forgetTenantRows(platform, tenantId);
    return purged;
  });
}
