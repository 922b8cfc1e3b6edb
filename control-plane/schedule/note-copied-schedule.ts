import BetterSqlite3 from 'better-sqlite3';
import type { TenantDatabase } from '../../tenant-runtime/tenant-database';
import type { ScheduleHints } from './schedule-hints';

const EARLIEST_SCHEDULED = "select min(scheduled_at) as at from items where status = 'scheduled'";

/**
 * A tenant whose data came from elsewhere (a restored backup, a clone, an import) brings its
 * scheduled items with it but no hint: without one the scheduler never visits it, and those
 * items stay "scheduled" for good, past their time. Its earliest scheduled time is noted (the
 * hint lowered to it, never raised), so the scheduler visits it then, at once if already past.
 */
export function noteCopiedSchedule(hints: ScheduleHints, tenantId: string, db: Pick<TenantDatabase, 'get'>): void {
  const at = db.get<{ at: number | null }>(EARLIEST_SCHEDULED)?.at ?? null;
  if (at !== null) hints.noteDue(tenantId, at);
}

/** The same, for a tenant file no handle has open (a restore, while the tenant is offline). */
export function noteScheduleOfFile(hints: ScheduleHints, tenantId: string, file: string): void {
  const db = new BetterSqlite3(file, { fileMustExist: true });
  try {
    noteCopiedSchedule(hints, tenantId, { get: <T>(sql: string) => db.prepare(sql).get() as T | undefined });
  } finally {
    db.close();
  }
}
