import type { PlatformDatabase } from '../db/platform-database';
import { BOUND_LIMIT } from '../../core/db/sql-limit';

const DAY_MS = 86_400_000;

/**
 * The control plane's `tenant_schedule`: per tenant, a time at or before which it may have an
 * item due. The hint may be early (an item was unscheduled: the visit finds nothing and moves
 * it on) but never late, so every write that schedules an item lowers it first.
 */
export class ScheduleHints {
  /** `webhook_schedule` holds the same kind of hint for webhook deliveries, `mail_schedule` for workflow mails (mail-hints.ts). */
  constructor(
    private readonly db: PlatformDatabase,
    private readonly table: 'tenant_schedule' | 'webhook_schedule' | 'mail_schedule' = 'tenant_schedule',
  ) {}

  /** An item of the tenant is due at `at`: keep the earlier of this and the current hint. */
  noteDue(tenantId: string, at: number): void {
    this.db.run(
      `insert into ${this.table} (tenant_id, next_due_at) values (?, ?) on conflict(tenant_id) do update set next_due_at = min(next_due_at, excluded.next_due_at)`,
      [tenantId, at],
    );
  }

  /** After a visit: the tenant's earliest remaining scheduled time, or no hint when none is left. */
  replace(tenantId: string, next: number | null): void {
    if (next === null) this.db.run(`delete from ${this.table} where tenant_id = ?`, [tenantId]);
    else
      this.db.run(`insert into ${this.table} (tenant_id, next_due_at) values (?, ?) on conflict(tenant_id) do update set next_due_at = excluded.next_due_at`, [
        tenantId,
        next,
      ]);
  }

  /**
   * A tenant whose items the plan's items published per day held back waits with its hint at the
   * start of a UTC day (publish-due-items.ts). Its limits changed (a plan, an override: the
   * tenant's own, or every tenant's when `tenantId` is absent): such hints come back to `now`, so a
   * raised limit publishes today, not after midnight. A hint at midnight for an item planned then
   * comes early too: it costs one visit.
   */
  wakeHeldBack(now: number, tenantId?: string): void {
    const held = `update ${this.table} set next_due_at = ? where next_due_at > ? and next_due_at % ${DAY_MS} = 0`;
    if (tenantId === undefined) this.db.run(held, [now, now]);
    else this.db.run(`${held} and tenant_id = ?`, [now, now, tenantId]);
  }

  /**
   * Active tenants with something due by `now`, most overdue first. Suspended tenants keep
   * their hint (their items go out once resumed) but do not take the batch's places.
   */
  due(now: number, limit: number): string[] {
    return this.db
      .all<{ tenant_id: string }>(
        `select s.tenant_id from ${this.table} s join tenants t on t.id = s.tenant_id where s.next_due_at <= ? and t.status = 'active' order by s.next_due_at ${BOUND_LIMIT}`,
        [now, limit],
      )
      .map((r) => r.tenant_id);
  }

  get(tenantId: string): number | undefined {
    return this.db.get<{ next_due_at: number }>(`select next_due_at from ${this.table} where tenant_id = ?`, [tenantId])?.next_due_at;
  }
}
