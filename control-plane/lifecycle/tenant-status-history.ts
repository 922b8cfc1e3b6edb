import type { PlatformDatabase } from '../db/platform-database';
import type { TenantStatus } from '../tenants/tenant-record';
import type { TenantAction } from './tenant-transitions';
import { limitClause } from '../../core/db/sql-limit';

export interface StatusChangeRow {
  id: number;
  tenant_id: string;
  action: TenantAction;
  from_status: TenantStatus | null;
  to_status: TenantStatus;
  reason: string | null;
  until: number | null;
  actor_user_id: string | null;
  actor_label: string | null;
  created_at: number;
}

/** Every status a tenant went through, who moved it and why (control plane's `tenant_status_history`). */
export class TenantStatusHistory {
  constructor(private readonly db: PlatformDatabase) {}

  record(row: Omit<StatusChangeRow, 'id' | 'created_at'>): void {
    this.db.run(
      `insert into tenant_status_history (tenant_id, action, from_status, to_status, reason, until, actor_user_id, actor_label, created_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [row.tenant_id, row.action, row.from_status, row.to_status, row.reason, row.until, row.actor_user_id, row.actor_label, Date.now()],
    );
  }

  /** Newest first, with the acting user's email when there is one. */
  list(tenantId: string, limit = 50): Array<StatusChangeRow & { actor_email: string | null }> {
    return this.db.all(
      `select h.*, u.email as actor_email from tenant_status_history h left join users u on u.id = h.actor_user_id
        where h.tenant_id = ? order by h.id desc ${limitClause(limit)}`,
      [tenantId],
    );
  }

  /** The status the tenant had before it last entered `status` (what a restore puts back). */
  statusBefore(tenantId: string, status: TenantStatus): TenantStatus | undefined {
    return (
      this.db.get<{ from_status: TenantStatus | null }>(
        'select from_status from tenant_status_history where tenant_id = ? and to_status = ? order by id desc limit 1',
        [tenantId, status],
      )?.from_status ?? undefined
    );
  }

  /** The tenant's last status change. */
  latest(tenantId: string): StatusChangeRow | undefined {
    return this.db.get<StatusChangeRow>('select * from tenant_status_history where tenant_id = ? order by id desc limit 1', [tenantId]);
  }

  /** The last change that put the tenant into `status` (its reason and end date). */
  lastInto(tenantId: string, status: TenantStatus): StatusChangeRow | undefined {
    return this.db.get<StatusChangeRow>('select * from tenant_status_history where tenant_id = ? and to_status = ? order by id desc limit 1', [
      tenantId,
      status,
    ]);
  }
}
