import { utcDay } from '../../core/time/utc-time';

const DAY_MS = 24 * 3600_000;

/** The UTC day `n` days before the day of `at`. */
export function daysBefore(at: number, n: number): string {
  return utcDay(at - n * DAY_MS);
}

/** The `days` UTC days that end with the day of `at`, oldest first. */
export function lastDays(at: number, days: number): string[] {
  return Array.from({ length: days }, (_, i) => daysBefore(at, days - 1 - i));
}

/**
 * The period a stored use counts in, as it reads at `at`: a day stays a day (`YYYY-MM-DD`), a
 * month a month (`YYYY-MM`), a level ('') has none. A stored use whose period is not the
 * current one counts for nothing now.
 */
export function currentPeriodLike(period: string, at: number): string {
  if (period === '') return '';
  return period.length === 7 ? utcDay(at).slice(0, 7) : utcDay(at);
}
