/**
 * Times typed by an operator, read as UTC unless they carry an offset: `YYYY-MM-DD` (midnight),
 * `YYYY-MM-DD HH:MM`, `YYYY-MM-DDTHH:MM` (what a datetime-local field sends), optionally with
 * seconds and a `Z` or `+HH:MM` offset. A date that does not exist (2025-02-30) is null.
 */
const TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

export function parseUtcTime(text: string): number | null {
  const m = TIME.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', zone] = m;
  const parts = [y, mo, d, h, mi, s].map(Number);
  const utc = Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3], parts[4], parts[5]);
  const check = new Date(utc);
  if (check.getUTCMonth() !== parts[1] - 1 || check.getUTCDate() !== parts[2] || parts[3] > 23 || parts[4] > 59 || parts[5] > 59) return null;
  if (!zone || zone.toUpperCase() === 'Z') return utc;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return utc - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
}

/** `2025-03-01 09:30 UTC`, for pages and the CLI. */
export function formatUtcTime(ms: number | null | undefined): string {
  if (ms == null) return '';
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The UTC day of an instant, `YYYY-MM-DD`: the day usage counters are kept and rolled up by. */
export function utcDay(at: number | Date = Date.now()): string {
  return new Date(at).toISOString().slice(0, 10);
}
