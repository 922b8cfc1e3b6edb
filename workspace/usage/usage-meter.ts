import type { TenantDatabase } from '../../tenant-runtime/tenant-database';
import type { UsageMetric } from '../../tenant-runtime/plan-catalogue';
import { utcDay } from '../../core/time/utc-time';

export interface MeterOptions {
  /** The member the count belongs to (per-member limits); '' or absent: the workspace's. */
  userId?: string;
  /** When it happened (default: now); the UTC day it falls on is the counter's. */
  at?: Date;
}

/** The first instant of the UTC day after the one of `ms`. */
export function nextUtcDay(ms: number): number {
  const day = new Date(ms);
  return Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate() + 1);
}

/** The first and last day of the UTC month of an instant (string bounds, the way days sort). */
function monthBounds(at: Date): [string, string] {
  const month = utcDay(at).slice(0, 7);
  return [`${month}-01`, `${month}-31`];
}

/**
 * Adds `amount` to today's counter. Meant to run inside the caller's write transaction (db.write),
 * so the action and its count commit together or not at all.
 */
export function recordUsage(db: TenantDatabase, metric: UsageMetric, amount: number, opts: MeterOptions = {}): void {
  if (amount === 0) return;
  db.run(
    `insert into usage_counters (metric, day, user_id, value) values (?, ?, ?, ?)
       on conflict (metric, day, user_id) do update set value = value + excluded.value`,
    [metric, utcDay(opts.at), opts.userId ?? '', amount],
  );
}

/** What was counted in the UTC day or month of `at`: one member's when userId is given, else everyone's. */
export function usedInPeriod(db: TenantDatabase, metric: UsageMetric, period: 'day' | 'month', opts: MeterOptions = {}): number {
  const at = opts.at ?? new Date();
  const [from, to] = period === 'day' ? [utcDay(at), utcDay(at)] : monthBounds(at);
  const row =
    opts.userId === undefined
      ? db.get<{ used: number }>('select coalesce(sum(value), 0) as used from usage_counters where metric = ? and day between ? and ?', [metric, from, to])
      : db.get<{ used: number }>('select coalesce(sum(value), 0) as used from usage_counters where metric = ? and day between ? and ? and user_id = ?', [
          metric,
          from,
          to,
          opts.userId,
        ]);
  return row?.used ?? 0;
}

/** The most any one member used in the period (how close the busiest member is to a per-member limit). */
export function busiestMemberInPeriod(db: TenantDatabase, metric: UsageMetric, period: 'day' | 'month', at: Date = new Date()): number {
  const [from, to] = period === 'day' ? [utcDay(at), utcDay(at)] : monthBounds(at);
  const row = db.get<{ used: number | null }>(
    'select max(used) as used from (select sum(value) as used from usage_counters where metric = ? and day between ? and ? group by user_id)',
    [metric, from, to],
  );
  return row?.used ?? 0;
}

/** The last `days` UTC days up to the day of `at` (oldest first), each with everyone's count, zero where nothing was counted. */
export function dailySeries(db: TenantDatabase, metric: UsageMetric, days: number, at: Date = new Date()): Array<{ day: string; value: number }> {
  const series: Array<{ day: string; value: number }> = [];
  for (let back = days - 1; back >= 0; back--) series.push({ day: utcDay(new Date(at.getTime() - back * 86_400_000)), value: 0 });
  if (!series.length) return series;
  const rows = db.all<{ day: string; value: number }>(
    'select day, sum(value) as value from usage_counters where metric = ? and day between ? and ? group by day',
    [metric, series[0].day, series[series.length - 1].day],
  );
  const byDay = new Map(rows.map((row) => [row.day, row.value]));
  return series.map((point) => ({ day: point.day, value: byDay.get(point.day) ?? 0 }));
}
