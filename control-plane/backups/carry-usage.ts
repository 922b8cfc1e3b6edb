import BetterSqlite3 from 'better-sqlite3';
import { utcDay } from '../../core/time/utc-time';
import { USAGE_CHART_DAYS } from '../../core/charts/usage-chart-svg';
import { daysBefore } from '../usage/usage-periods';
import { inspectTenantFile } from '../../tenant-runtime/tenant-file-check';
import { ownerOf, ownerProblem } from '../../tenant-runtime/tenant-file-owner';

/** One row of a tenant file's usage_counters (tenant-migrations/0022). */
export interface UsageCounter {
  metric: string;
  day: string;
  user_id: string;
  value: number;
}

/**
 * The first day whose counters a restore carries: the first of the UTC month of `at` (the monthly
 * limits read the whole month), or the first day the usage charts show when that is earlier (so
 * the charts and the roll-up of those days do not go back either).
 */
export function firstCarriedDay(at: number): string {
  const monthStart = `${utcDay(at).slice(0, 7)}-01`;
  const chartStart = daysBefore(at, USAGE_CHART_DAYS - 1);
  return chartStart < monthStart ? chartStart : monthStart;
}

/** What a restore carries from the file it replaces: this month's counters (and the charts' days), or why it carries none. */
export type UsageToCarry = { counters: UsageCounter[]; problem: null } | { counters: []; problem: string };

const hasCounters = (db: BetterSqlite3.Database) => Boolean(db.prepare("select 1 from sqlite_master where type = 'table' and name = 'usage_counters'").get());

/**
 * Reads the counters from firstCarriedDay(at) on (the UTC month's days, today's too, which the
 * daily limits read) from the tenant file a restore is about to replace, once no handle has it
 * open. A file that cannot be trusted for them (missing, not a database, another tenant's, its
 * counters failing their quick check, unreadable) gives none and says why: a restore is made for
 * a damaged file, so this never fails it. Nothing is written to the file (its WAL, if a process
 * died holding one, is checkpointed into it as any open would).
 */
export function readUsageToCarry(file: string, tenantId: string, at: number = Date.now()): UsageToCarry {
  const damage = inspectTenantFile(file);
  if (damage) return { counters: [], problem: damage };
  let db: BetterSqlite3.Database | undefined;
  try {
    db = new BetterSqlite3(file, { fileMustExist: true });
    db.pragma('query_only = ON');
    const stranger = ownerProblem(ownerOf(db), tenantId);
    if (stranger) return { counters: [], problem: stranger };
    if (!hasCounters(db)) return { counters: [], problem: null };
    const check = (db.pragma('quick_check(usage_counters)') as Array<Record<string, string>>).map((row) => Object.values(row)[0]);
    if (check.join() !== 'ok') return { counters: [], problem: `its usage counters fail their check (${check.slice(0, 3).join('; ')})` };
    const rows = db
      .prepare('select metric, day, user_id, value from usage_counters where day >= ? and value > 0 order by metric, day, user_id')
      .all(firstCarriedDay(at)) as UsageCounter[];
    const counters = rows.filter(
      (row) => Number.isSafeInteger(row.value) && typeof row.metric === 'string' && typeof row.day === 'string' && typeof row.user_id === 'string',
    );
    return { counters, problem: null };
  } catch (error) {
    return { counters: [], problem: `the database cannot be read (${(error as Error).message})` };
  } finally {
    db?.close();
  }
}

/**
 * Writes carried counters into the restored file (its migrations applied, no handle open): each
 * counter ends at the larger of the two files' values, durably (the commit syncs the WAL) before
 * the restore commits. Answers how many counters were carried.
 */
export function carryUsage(file: string, counters: UsageCounter[]): number {
  if (!counters.length) return 0;
  const db = new BetterSqlite3(file, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = FULL');
    if (!hasCounters(db)) return 0;
    const upsert = db.prepare(
      `insert into usage_counters (metric, day, user_id, value) values (?, ?, ?, ?)
         on conflict (metric, day, user_id) do update set value = max(value, excluded.value)`,
    );
    db.exec('BEGIN IMMEDIATE');
    try {
      for (const c of counters) upsert.run(c.metric, c.day, c.user_id, c.value);
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
    return counters.length;
  } finally {
    db.close();
  }
}
