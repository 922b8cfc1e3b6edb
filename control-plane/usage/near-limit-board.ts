import type { PlatformDatabase } from '../db/platform-database';
import { UsageRollupStore } from './usage-rollup-store';
import { ALERT_THRESHOLDS } from './usage-alerts';

export interface NearLimit {
  key: string;
  percent: number;
}

/**
 * Which tenants are at 80% of a limit or more, for the workspace banner: one small query over
 * the roll-up's table at most every `ttlMs`, then a map look-up per request. No control-plane
 * query and no tenant query on the request path.
 */
export class NearLimitBoard {
  private byTenant = new Map<string, NearLimit[]>();
  private loadedAt = -Infinity;

  private readonly store: UsageRollupStore;

  constructor(
    db: PlatformDatabase,
    private readonly ttlMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {
    this.store = new UsageRollupStore(db);
  }

  /** The tenant's limits at or over the first threshold, highest first; empty for most tenants. */
  of(tenantId: string): NearLimit[] {
    const now = this.now();
    // A load "ahead" of now is the clock set back since: read again, not kept until it catches up.
    if (now - this.loadedAt >= this.ttlMs || now < this.loadedAt) this.reload();
    return this.byTenant.get(tenantId) ?? [];
  }

  private reload(): void {
    const rows = this.store.limitsAtOrOver(ALERT_THRESHOLDS[0]);
    const byTenant = new Map<string, NearLimit[]>();
    for (const row of rows) {
      const list = byTenant.get(row.tenant_id) ?? [];
      list.push({ key: row.limit_key, percent: row.percent });
      byTenant.set(row.tenant_id, list);
    }
    this.byTenant = byTenant;
    this.loadedAt = this.now();
  }
}
