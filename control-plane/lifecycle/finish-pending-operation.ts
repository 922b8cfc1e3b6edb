import type { ControlPlane } from '../control-plane';
import type { TenantRecord } from '../tenants/tenant-record';
import { completeArchive, completePurge, completeRestore } from './complete-operations';
import { tryTenantLock } from './tenant-lock';
import { finishRename } from '../tenants/finish-rename';

const PLATFORM = { actorUserId: null, by: 'system' as const };

/**
 * Finishes the file operation recorded on a tenant (an archive, restore, purge or a rename's
 * write of the workspace's own name cut off half way): each half is idempotent, so running it again after any crash ends in the state the
 * operator asked for. The caller holds the tenant's lock. Returns what it did.
 */
export async function finishPendingOperation(platform: ControlPlane, tenant: TenantRecord): Promise<string | undefined> {
  switch (tenant.pending_operation) {
    case 'archive':
      await completeArchive(platform, tenant.id);
      return 'finished archiving';
    case 'restore':
      await completeRestore(platform, tenant.id, PLATFORM);
      return 'finished restoring';
    case 'purge':
      completePurge(platform, tenant.id, PLATFORM, 'purge', 'finished a purge that was cut off');
      return 'finished purging';
    case 'rename':
      await finishRename(platform, tenant.id);
      return "wrote the renamed workspace's own display name into its file";
    default:
      return undefined;
  }
}

export interface FinishedOperation {
  tenantId: string;
  slug: string;
  done?: string;
  error?: string;
}

/** Every tenant with an operation recorded and no live process on it (its lock is free): finished. */
export async function finishInterruptedOperations(platform: ControlPlane): Promise<FinishedOperation[]> {
  const results: FinishedOperation[] = [];
  for (const pending of platform.tenants.listPendingOperations()) {
    const lock = tryTenantLock(platform.config.dataDir, pending.id);
    if (!lock) continue; // running right now in this or another process
    try {
      const tenant = platform.tenants.findById(pending.id);
      if (!tenant?.pending_operation) continue;
      results.push({ tenantId: tenant.id, slug: tenant.slug, done: await finishPendingOperation(platform, tenant) });
    } catch (error) {
      results.push({ tenantId: pending.id, slug: pending.slug, error: error instanceof Error ? error.message : String(error) });
    } finally {
      lock.release({ remove: true });
    }
  }
  return results;
}
