import { latestRecord } from '../audit/recent-records';
import type { ControlPlane } from '../control-plane';

/**
 * The second half of a rename (rename-tenant.ts), recorded on the row as the pending `rename`: the
 * workspace's own display name its `tenant.rename` record names (`after.display_name`) is written
 * into its file, if the file still holds the one the rename read (`before.display_name`; a name
 * its admins set since stays theirs), and the pending rename is cleared. Idempotent: run by the
 * rename itself, by a rename sent again, and by the repairs (the next start, `tenantry doctor
 * --fix`, the lifecycle timer) when a crash cut it off. The caller holds the tenant's lock.
 */
export async function finishRename(platform: ControlPlane, tenantId: string): Promise<void> {
  const { before, after } = latestRecord(platform.db, tenantId, 'tenant.rename') ?? { before: {}, after: {} };
  const from = before.display_name;
  const to = after.display_name;
  try {
    if (platform.workspaceOwnName && typeof from === 'string' && typeof to === 'string' && from !== to)
      await platform.workspaceOwnName.replace(tenantId, to, from);
    platform.db.write(() => platform.tenants.update(tenantId, { pending_operation: null }));
  } finally {
    // A suspended tenant's file was opened only for this: its handle is not kept.
    if (platform.tenants.statusOf(tenantId) !== 'active') platform.router.closeTenant(tenantId);
  }
}
