import type { TenantDatabase } from '../../tenant-runtime/tenant-database';
import type { PlanRepository } from './plan-repository';

/** Where the workspace kept its own storage limit before plans: a row of its settings table, in MB. */
const LEGACY_KEY = 'storage_quota_mb';
const MB = 1024 * 1024;

/**
 * Moves a storage limit a workspace's admins once set in its own settings into the tenant's
 * override in the control plane (docs/decisions/031-plans-and-limits.md). Run when the router
 * opens the tenant's file, before any request uses it. Idempotent and safe to kill at any point:
 * the override is written first (only when the tenant has none for storage: a value a super admin
 * set wins), the setting removed second; cut off in between, the next open finds the override
 * and only removes the setting. Returns the bytes carried over, or null when there was nothing.
 */
export function carryOverStorageLimit(plans: PlanRepository, tenantId: string, db: TenantDatabase): number | null {
  const row = db.get<{ value: string }>('select value from settings where key = ?', [LEGACY_KEY]);
  if (!row) return null;
  let mb: unknown;
  try {
    mb = JSON.parse(row.value);
  } catch {
    mb = null;
  }
  const bytes = typeof mb === 'number' && Number.isSafeInteger(mb) && mb > 0 ? mb * MB : null;
  const current = plans.tenantPlan(tenantId);
  if (bytes !== null && current && !('storage_bytes' in current.limitOverrides)) {
    plans.setTenantOverrides(tenantId, { limits: { ...current.limitOverrides, storage_bytes: bytes } });
  }
  db.write(() => db.run('delete from settings where key = ?', [LEGACY_KEY]));
  return bytes;
}

/**
 * Runs the carry-over when the router opens a tenant's file, once per tenant while the file stays
 * the same: a file only changes under the server (a restore, an import) while its tenant is
 * offline, a change this process hears of (at once, or within a second when another process made
 * it), and the control plane wiring then calls `forget`. A miss is spared a read of the settings on
 * every later open (docs/decisions/043). A carry-over that fails is tried again on the next open.
 */
export class StorageLimitCarryOver {
  private readonly checked = new Set<string>();

  constructor(
    private readonly plans: PlanRepository,
    private readonly onError: (err: unknown, tenantId: string) => void,
  ) {}

  readonly afterOpen = (tenantId: string, db: TenantDatabase): void => {
    if (this.checked.has(tenantId)) return;
    try {
      carryOverStorageLimit(this.plans, tenantId, db);
      this.checked.add(tenantId);
    } catch (err) {
      this.onError(err, tenantId);
    }
  };

  /** Every tenant's file is looked at again on its next open. */
  forget(): void {
    this.checked.clear();
  }
}
