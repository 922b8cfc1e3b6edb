import { ConflictError } from '../../core/errors/app-errors';
import type { ControlPlane } from '../control-plane';
import type { TenantRecord } from '../tenants/tenant-record';
import { migrateOneTenant } from '../fleet/migrate-one-tenant';
import { applyTransition, type TransitionInput } from './apply-transition';
import { forgetTenantRows } from './forget-tenant-rows';
import { moveToArchive, moveToLive, removeArchived } from './tenant-folders';
import { TenantStatusHistory } from './tenant-status-history';
import { pausePoint } from '../../core/process/pause-point';

/**
 * The second halves of the file operations, run once the operation is recorded on the row:
 * by the command that started it, or by the sweep that finishes one a crash cut off. Each is
 * idempotent. The caller holds the tenant's lock.
 */
type Actor = Pick<TransitionInput, 'actorUserId' | 'by' | 'ip' | 'userAgent' | 'apiTokenId'>;

/** Closes the tenant's handle (waiting for requests using it) and moves its folder to the archive. */
export async function completeArchive(platform: ControlPlane, tenantId: string): Promise<void> {
  await platform.router.closeTenantAndWait(tenantId);
  moveToArchive(platform.config.dataDir, tenantId);
  platform.tenants.update(tenantId, { pending_operation: null });
}

/** The second half of a restore (also run by the sweep that finishes one cut off). The caller holds the lock. */
export async function completeRestore(platform: ControlPlane, tenantId: string, actor: Actor): Promise<TenantRecord> {
  const where = moveToLive(platform.config.dataDir, tenantId);
  if (where === 'missing') throw new ConflictError('The archived folder of this tenant is missing; nothing was restored. Run "tenantry doctor".', { tenantId });
  const migrated = await migrateRestored(platform, tenantId);
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
    ...(migrated.length ? { auditDetails: { migrated } } : {}),
  });
}

/**
 * An archive is never migrated (fleet migrations take active and suspended tenants), so one made
 * before an upgrade comes back behind the code: it is migrated while still archived, as a
 * restored backup is, instead of answering its members 503 until the next fleet migration. A
 * file that cannot be migrated (damaged, a failing migration) comes back as it is: the router
 * refuses it as before and `tenantry tenants migrate` says why.
 */
async function migrateRestored(platform: ControlPlane, tenantId: string): Promise<string[]> {
  try {
    const result = await migrateOneTenant(platform.config.dataDir, tenantId, platform.tenantSource);
    platform.tenants.setSchemaVersion(tenantId, result.version);
    return result.applied;
  } catch (err) {
    platform.logger.warn({ err, tenantId }, 'a restored tenant could not be migrated; tenantry tenants migrate tries again');
    return [];
  }
}

/**
 * Removes the files and writes the tombstone (purge of an archive, by an operator or because
 * its window passed; also the second half of a purge cut off). The caller holds the lock.
 */
export function completePurge(platform: ControlPlane, tenantId: string, actor: Actor, action: 'purge' | 'discard', reason?: string): TenantRecord {
  removeArchived(platform.config.dataDir, tenantId);
  pausePoint('purge:folder-removed');
  return platform.db.write(() => {
    const purged = applyTransition(platform, tenantId, action, { ...actor, reason: reason ?? null, pendingOperation: null });
    forgetTenantRows(platform, tenantId);
    return purged;
  });
}
