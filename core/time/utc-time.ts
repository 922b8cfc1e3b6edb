import { readTypedTime, withinFourDigitYears } from './typed-time';

/**
 * Times typed by an operator (core/time/typed-time.ts), read as UTC unless they carry an offset;
 * a day alone is its midnight. A date that does not exist (2025-02-30) is null.
 */
export function parseUtcTime(text: string): number | null {
  const typed = readTypedTime(text, { dayAlone: true });
  return typed ? withinFourDigitYears(typed.wallMs - (typed.offsetMinutes ?? 0) * 60_000) : null;
}

/** `2025-03-01 09:30 UTC`, for pages and the CLI; `none` (empty unless given) for no time or one that is not a number. */
export function formatUtcTime(ms: number | null | undefined, none = ''): string {
  if (ms == null || !Number.isFinite(ms)) return none;
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The UTC day of an instant, `YYYY-MM-DD`: the day usage counters are kept and rolled up by. */
export function utcDay(at: number | Date = Date.now()): string {
  return new Date(at).toISOString().slice(0, 10);
}

/** `2025-03-01`, the UTC day alone, for pages that list when something was made; `none` (empty unless given) as formatUtcTime. */
export function formatUtcDay(ms: number | null | undefined, none = ''): string {
  return ms == null || !Number.isFinite(ms) ? none : utcDay(ms);
}
