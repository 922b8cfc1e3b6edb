import type { ControlPlane } from '../control-plane';
import type { TenantRecord } from '../tenants/tenant-record';
import { applyTransition } from './apply-transition';
import { purgeHeldTenant } from './purge-tenant';
import { tryTenantLock } from './tenant-lock';

export interface DueOutcome {
  tenantId: string;
  slug: string;
  action: 'resume' | 'purge';
  error?: string;
}

const PLATFORM = { actorUserId: null, by: 'system' as const };

/**
 * Statuses whose end date has come: a suspension with an end date resumes by itself, an
 * archive whose restore window has passed is purged (files removed, row kept as a tombstone).
 * A tenant another process is working on (its lock held) waits for the next pass; the purge is the
 * operator's purge's own (purgeHeldTenant), which finishes an operation a crash cut off first.
 */
export async function endDueStatuses(platform: ControlPlane, now = Date.now()): Promise<DueOutcome[]> {
  const outcomes: DueOutcome[] = [];
  for (const tenant of platform.tenants.listDue('suspended', now)) {
    try {
      applyTransition(platform, tenant.id, 'resume', { ...PLATFORM, reason: 'its suspension ended' });
      outcomes.push({ tenantId: tenant.id, slug: tenant.slug, action: 'resume' });
    } catch (error) {
      outcomes.push({ tenantId: tenant.id, slug: tenant.slug, action: 'resume', error: error instanceof Error ? error.message : String(error) });
    }
  }
  for (const tenant of platform.tenants.listDue('archived', now)) {
    const lock = tryTenantLock(platform.config.dataDir, tenant.id);
    if (!lock) continue;
    try {
      const stillDue = (current: TenantRecord) => current.status === 'archived' && (current.status_until ?? Infinity) <= now;
      const purged = await purgeHeldTenant(platform, tenant.id, PLATFORM, 'purge:due-marked', stillDue, 'its restore window ended');
      if (purged) outcomes.push({ tenantId: tenant.id, slug: tenant.slug, action: 'purge' });
    } catch (error) {
      outcomes.push({ tenantId: tenant.id, slug: tenant.slug, action: 'purge', error: error instanceof Error ? error.message : String(error) });
    } finally {
      lock.release({ remove: true });
    }
  }
  return outcomes;
}
