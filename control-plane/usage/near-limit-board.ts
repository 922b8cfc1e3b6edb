import type { PlatformDatabase } from '../db/platform-database';
import { ALERT_THRESHOLDS } from './usage-alerts';

export interface NearLimit {
  key: string;
  percent: number;
}

/**
 * Which tenants are at 80% of a limit or more, for the workspace banner: one small query over
 * the roll-up's table at most every `ttlMs` (and after each roll-up in this process), then a
 * map look-up per request. No control-plane query and no tenant query on the request path.
 */
export class NearLimitBoard {
  private byTenant = new Map<string, NearLimit[]>();
  private loadedAt = -Infinity;

  constructor(
    private readonly db: PlatformDatabase,
    private readonly ttlMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The tenant's limits at or over the first threshold, highest first; empty for most tenants. */
  of(tenantId: string): NearLimit[] {
    if (this.now() - this.loadedAt >= this.ttlMs) this.reload();
    return this.byTenant.get(tenantId) ?? [];
  }

  /** Read again on the next look-up (a roll-up just wrote new figures). */
  invalidate(): void {
    this.loadedAt = -Infinity;
  }

  private reload(): void {
    const rows = this.db.all<{ tenant_id: string; limit_key: string; percent: number }>(
      'select tenant_id, limit_key, percent from tenant_usage where percent >= ? order by tenant_id, percent desc',
      [ALERT_THRESHOLDS[0]],
    );
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
