import type { PlatformDatabase } from '../db/platform-database';
import { ScheduleHints } from './schedule-hints';

/**
 * The control plane's `mail_schedule` (platform migrations 0040, 0043): per tenant, a time at or
 * before which it may have a workflow mail due, or ended mails due to be deleted (decision 054),
 * never late (every write that queues or ends one lowers it first), and since when its oldest unsent
 * mail waits (for `tenantry doctor`), null when none waits and the hint is only for the deletion.
 */
export class MailHints {
  private readonly times: ScheduleHints;

  constructor(private readonly db: PlatformDatabase) {
    this.times = new ScheduleHints(db, 'mail_schedule');
  }

  /** A mail of the tenant is due at `at`: keep the earlier of this and the current hint, and of the oldest waiting mail. */
  noteDue(tenantId: string, at: number): void {
    this.db.run(
      `insert into mail_schedule (tenant_id, next_due_at, waiting_since) values (?, ?, ?)
         on conflict(tenant_id) do update set next_due_at = min(next_due_at, excluded.next_due_at),
           waiting_since = min(coalesce(waiting_since, excluded.waiting_since), excluded.waiting_since)`,
      [tenantId, at, at],
    );
  }

  /** Mails of the tenant that ended unsent are to be deleted at `at`: keep the earlier of this and the current hint (no mail waits for it). */
  notePrune(tenantId: string, at: number): void {
    this.db.run(
      `insert into mail_schedule (tenant_id, next_due_at, waiting_since) values (?, ?, null)
         on conflict(tenant_id) do update set next_due_at = min(next_due_at, excluded.next_due_at)`,
      [tenantId, at],
    );
  }

  /** After a visit: the tenant's earliest remaining due time (a mail, or a deletion) and its oldest waiting mail (null: none), or no hint when nothing is left. */
  replace(tenantId: string, next: { dueAt: number; waitingSince: number | null } | null): void {
    if (next === null) this.db.run('delete from mail_schedule where tenant_id = ?', [tenantId]);
    else
      this.db.run(
        `insert into mail_schedule (tenant_id, next_due_at, waiting_since) values (?, ?, ?)
           on conflict(tenant_id) do update set next_due_at = excluded.next_due_at, waiting_since = excluded.waiting_since`,
        [tenantId, next.dueAt, next.waitingSince],
      );
  }

  /** Active tenants with a mail due by `now`, most overdue first (a suspended tenant keeps its hint), read as every hint table is. */
  due(now: number, limit: number): string[] {
    return this.times.due(now, limit);
  }

  /**
   * Live tenants (active, or suspended: sent once resumed) with a mail waiting since before
   * `before`, oldest first. An archived tenant's mails wait for a restore that may never come, and
   * a purged or damaged one's for nothing the mail server could change: not named. Nor is a hint
   * kept only for ended mails' deletion (`waiting_since` null).
   */
  waitingSince(before: number): Array<{ tenantId: string; slug: string; since: number }> {
    return this.db
      .all<{ tenant_id: string; slug: string; waiting_since: number }>(
        `select s.tenant_id, t.slug, s.waiting_since from mail_schedule s join tenants t on t.id = s.tenant_id
          where s.waiting_since < ? and t.status in ('active', 'suspended') order by s.waiting_since`,
        [before],
      )
      .map((r) => ({ tenantId: r.tenant_id, slug: r.slug, since: r.waiting_since }));
  }

  get(tenantId: string): { next_due_at: number; waiting_since: number | null } | undefined {
    return this.db.get<{ next_due_at: number; waiting_since: number | null }>('select next_due_at, waiting_since from mail_schedule where tenant_id = ?', [
      tenantId,
    ]);
  }
}
