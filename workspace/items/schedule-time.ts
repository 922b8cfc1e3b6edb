/**
 * Scheduled times are stored as epoch milliseconds and shown in UTC (the tenant time zone
 * setting will convert at the edges). Accepted input: `YYYY-MM-DD HH:MM`, `YYYY-MM-DDTHH:MM`
 * (what a datetime-local field sends), optionally with seconds and a `Z` or `+HH:MM` offset.
 * A time without an offset is UTC.
 */
const TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

export function parseScheduleTime(text: string): number | null {
  const m = TIME.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s = '0', zone] = m;
  const parts = [y, mo, d, h, mi, s].map(Number);
  const utc = Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3], parts[4], parts[5]);
  const check = new Date(utc);
  // Date.UTC rolls 2025-02-30 over to March; a date that does not exist is refused instead.
  if (check.getUTCMonth() !== parts[1] - 1 || check.getUTCDate() !== parts[2] || parts[3] > 23 || parts[4] > 59 || parts[5] > 59) return null;
  if (!zone || zone.toUpperCase() === 'Z') return utc;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offset = (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  return utc - sign * offset;
}

/** `2025-03-01 09:30` (UTC), for pages. */
export function formatScheduleTime(ms: number | null | undefined): string {
  if (ms == null) return '';
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

/** `2025-03-01T09:30`, the value a datetime-local field expects. */
export function toDateTimeLocal(ms: number | null | undefined): string {
  if (ms == null) return '';
  return new Date(ms).toISOString().slice(0, 16);
}

/** ISO 8601 in UTC with a Z, for exports. */
export function toIsoTime(ms: number | null | undefined): string {
  if (ms == null) return '';
  return new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}
