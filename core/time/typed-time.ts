/**
 * A date and time as a person or a file types it: `YYYY-MM-DD HH:MM` or `YYYY-MM-DDTHH:MM`
 * (what a datetime-local field sends), optionally with seconds (and their milliseconds, as an
 * export writes them) and a `Z` or `±HH:MM` offset
 * (RFC 3339's bounds: hours to 23, minutes to 59); `YYYY-MM-DD` alone where a day may stand for
 * its midnight. A date that does not exist (2025-02-30), a year before 100 (which `Date.UTC`
 * would move to the 1900s) and an offset out of bounds are null, never rolled over to another time.
 */
const TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** A date and time of day as a wall clock shows it, in no particular zone. */
export interface WallClockParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export interface TypedTime extends WallClockParts {
  /** The milliseconds typed after the seconds (`.250`), 0 when none were. */
  millisecond: number;
  /** The wall-clock parts read as if they were UTC. */
  wallMs: number;
  /** How far the typed offset is ahead of UTC, in minutes (`Z` is 0); undefined when none was typed. */
  offsetMinutes: number | undefined;
}

export function readTypedTime(text: string, options: { dayAlone: boolean }): TypedTime | null {
  const m = TIME.exec(text.trim());
  if (!m || (m[4] === undefined && !options.dayAlone)) return null;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number);
  if (hour > 23 || minute > 59 || second > 59) return null;
  const millisecond = m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0'));
  const wallMs = Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
  const check = new Date(wallMs);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  const offsetMinutes = offsetOf(m[8]);
  if (offsetMinutes === null) return null;
  return { year, month, day, hour, minute, second, millisecond, wallMs, offsetMinutes };
}

/**
 * The instant itself, when its UTC year has four digits (100 to 9999): `9999-12-31T23:59-23:59`
 * is a well-written time in the year 10000, which no page or export writes the same way.
 */
export function withinFourDigitYears(ms: number | null): number | null {
  if (ms === null) return null;
  const year = new Date(ms).getUTCFullYear();
  return year >= 100 && year <= 9999 ? ms : null;
}

/** `Z`, `+HH:MM`, `-HHMM` in minutes ahead of UTC; undefined for none, null out of bounds. */
function offsetOf(text: string | undefined): number | undefined | null {
  if (text === undefined) return undefined;
  if (text.toUpperCase() === 'Z') return 0;
  const digits = text.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2));
  if (hours > 23 || minutes > 59) return null;
  return (text.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
}
