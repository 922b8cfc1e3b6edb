import { currentZoneName } from './zone-names';
import { LRUCache } from 'lru-cache';
import { readTypedTime, withinFourDigitYears, type WallClockParts } from './typed-time';
/**
 * A time zone's clock. Times are stored as epoch milliseconds (UTC) and shown, typed and
 * imported in a workspace's time zone. Input is read by core/time/typed-time.ts (a date and a
 * time, optionally with seconds); a time with a `Z` or `+HH:MM` offset means that instant, a
 * time without one is wall-clock time in the workspace's zone.
 */
export interface ZonedClock {
  /** The IANA name, e.g. `Europe/Paris`. */
  readonly zone: string;
  /** The zone's name for people: its current IANA name (`Asia/Kolkata`, where `zone` may be ICU's `Asia/Calcutta`). */
  readonly zoneName: string;
  /** `2031-03-01 10:30 CET`: for pages, with the zone's short name. */
  format: (ms: number | null | undefined) => string;
  /** `10:30`: the time of day alone (lists grouped by day). */
  timeOfDay(ms: number): string;
  /** `2031-03-01`: the calendar day in the zone. */
  day(ms: number): string;
  /** `2031-03-01T10:30`: the value a datetime-local field expects. */
  input: (ms: number | null | undefined) => string;
  /** The instant typed or imported, or null when it is no valid time in this zone. */
  parse(text: string): number | null;
  /**
   * The first instant of a calendar day (`2025-03-30`) in the zone: its midnight, or, where the
   * clocks go forward over midnight, the first moment after the gap. Null for no valid day.
   */
  dayStart(day: string): number | null;
}

type Parts = WallClockParts;

// Formats by zone alone, not through core/time/date-formats.ts: they are looked up for every time
// shown, and that module's key (locale and options serialized) costs ~1.5 µs of a ~5.5 µs format.
const partFormats = new Map<string, Intl.DateTimeFormat>();
const nameFormats = new Map<string, Intl.DateTimeFormat>();
/** Parts already worked out, by zone and whole second (a few hundred KB at most). */
const zonedParts = new LRUCache<string, Readonly<Parts>>({ max: 5000 });

/**
 * The wall-clock parts of an instant in a zone. UTC's are the Date's own; another zone's come from
 * Intl (tens of microseconds each), kept for the instants asked for again: a list page shows the
 * same rows' times on every load.
 */
function partsIn(ms: number, zone: string): Readonly<Parts> {
  if (zone === 'UTC') {
    const d = new Date(ms);
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
    };
  }
  const key = `${zone} ${Math.floor(ms / 1000)}`;
  const known = zonedParts.get(key);
  if (known) return known;
  let format = partFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partFormats.set(zone, format);
  }
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(new Date(ms))) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  const found = { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour, minute: parts.minute, second: parts.second };
  zonedParts.set(key, found);
  return found;
}

function zoneName(ms: number, zone: string): string {
  if (zone === 'UTC') return 'UTC';
  let format = nameFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone: zone, timeZoneName: 'short' });
    nameFormats.set(zone, format);
  }
  return format.formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName')?.value ?? zone;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** How far the zone's wall clock is ahead of UTC at this instant. */
function offsetAt(ms: number, zone: string): number {
  const p = partsIn(ms, zone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(ms / 1000) * 1000;
}

const DAY = 24 * 3600 * 1000;

/**
 * The instant at which the zone's wall clock shows these parts, or null inside a clock change's gap.
 * In the hour repeated when the clocks go back it is the first of the two (the offset in force
 * before the change), in every zone: east of UTC as west of it, as iCalendar and Temporal read it.
 */
function instantOf(p: Parts, zone: string): number | null {
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  let found: number | null = null;
  // The offsets in force a day before, at, and a day after: a repeated hour's two among them.
  for (const offset of new Set([offsetAt(wall - DAY, zone), offsetAt(wall, zone), offsetAt(wall + DAY, zone)])) {
    const instant = wall - offset;
    const back = partsIn(instant, zone);
    const same = back.year === p.year && back.month === p.month && back.day === p.day && back.hour === p.hour && back.minute === p.minute;
    if (same && (found === null || instant < found)) found = instant;
  }
  return found;
}

const SECOND = 1000;
/** Wider than any zone's offset from UTC (-12:00 to +14:00). */
const FARTHEST_OFFSET = 15 * 3600 * SECOND;

/**
 * The first whole second whose wall-clock day in the zone is this day or later (`dayMs`: the day's
 * midnight read as UTC). Before `dayMs - 15 h` every zone is still on an earlier day, after
 * `dayMs + 15 h` every zone is on this day or later; the change of day lies between.
 */
function firstSecondOfDay(dayMs: number, zone: string): number {
  const dayOf = (ms: number) => {
    const p = partsIn(ms, zone);
    return Date.UTC(p.year, p.month - 1, p.day);
  };
  let before = dayMs - FARTHEST_OFFSET;
  let from = dayMs + FARTHEST_OFFSET;
  while (from - before > SECOND) {
    const middle = before + Math.floor((from - before) / 2 / SECOND) * SECOND;
    if (dayOf(middle) >= dayMs) from = middle;
    else before = middle;
  }
  return from;
}

export function zonedClock(zone: string): ZonedClock {
  const day = (ms: number) => {
    const p = partsIn(ms, zone);
    return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
  };
  const timeOfDay = (ms: number) => {
    const p = partsIn(ms, zone);
    return `${pad(p.hour)}:${pad(p.minute)}`;
  };
  return {
    zone,
    zoneName: currentZoneName(zone),
    day,
    timeOfDay,
    format: (ms) => (ms == null ? '' : `${day(ms)} ${timeOfDay(ms)} ${zoneName(ms, zone)}`),
    input: (ms) => (ms == null ? '' : `${day(ms)}T${timeOfDay(ms)}`),
    parse(text) {
      const typed = readTypedTime(text, { dayAlone: false });
      if (!typed) return null;
      if (typed.offsetMinutes !== undefined) return withinFourDigitYears(typed.wallMs - typed.offsetMinutes * 60_000);
      // The wall clock is found to the second; the milliseconds typed after it (an export's) are kept.
      const instant = instantOf(typed, zone);
      return withinFourDigitYears(instant === null ? null : instant + typed.millisecond);
    },
    dayStart(text) {
      const typed = /^\d{4}-\d{2}-\d{2}$/.test(text) ? readTypedTime(text, { dayAlone: true }) : null;
      if (!typed) return null;
      return withinFourDigitYears(zone === 'UTC' ? typed.wallMs : firstSecondOfDay(typed.wallMs, zone));
    },
  };
}

/** ISO 8601 in UTC with a Z, for exports (unambiguous wherever the file is opened). */
export function toIsoTime(ms: number | null | undefined): string {
  if (ms == null) return '';
  return new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}
