import type BetterSqlite3 from 'better-sqlite3';
import type { PlatformDb } from '../../control-plane/db/open-platform-db';

/**
 * The control plane's `tenant_schedule`: per tenant, a time at or before which it may have an
 * item due. The hint may be early (an item was unscheduled: the visit finds nothing and moves
 * it on) but never late, so every write that schedules an item lowers it first.
 */
export class ScheduleHints {
  private readonly statements = new Map<string, BetterSqlite3.Statement>();

  constructor(private readonly db: PlatformDb) {}

  /** An item of the tenant is due at `at`: keep the earlier of this and the current hint. */
  noteDue(tenantId: string, at: number): void {
    this.statement('insert into tenant_schedule (tenant_id, next_due_at) values (?, ?) on conflict(tenant_id) do update set next_due_at = min(next_due_at, excluded.next_due_at)').run(tenantId, at);
  }

  /** After a visit: the tenant's earliest remaining scheduled time, or no hint when none is left. */
  replace(tenantId: string, next: number | null): void {
    if (next === null) this.statement('delete from tenant_schedule where tenant_id = ?').run(tenantId);
    else this.statement('insert into tenant_schedule (tenant_id, next_due_at) values (?, ?) on conflict(tenant_id) do update set next_due_at = excluded.next_due_at').run(tenantId, next);
  }

  /**
   * Active tenants with something due by `now`, most overdue first. Suspended tenants keep
   * their hint (their items go out once resumed) but do not take the batch's places.
   */
  due(now: number, limit: number): string[] {
    return (
      this.statement(
        "select s.tenant_id from tenant_schedule s join tenants t on t.id = s.tenant_id where s.next_due_at <= ? and t.status = 'active' order by s.next_due_at limit ?",
      ).all(now, limit) as Array<{ tenant_id: string }>
    ).map((r) => r.tenant_id);
  }

  get(tenantId: string): number | undefined {
    return (this.statement('select next_due_at from tenant_schedule where tenant_id = ?').get(tenantId) as { next_due_at: number } | undefined)?.next_due_at;
  }

  private statement(sql: string): BetterSqlite3.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}
