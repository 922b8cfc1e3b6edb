import { formatUtcDay, formatUtcTime, parseUtcTime, utcDay } from '../../../core/time/utc-time';

describe('UTC times', () => {
  it('give the UTC day of an instant, from a number or a Date alike', () => {
    const lastMs = Date.UTC(2026, 10, 25, 23, 59, 59, 999);
    expect(utcDay(lastMs)).toBe('2026-11-25');
    expect(utcDay(new Date(lastMs))).toBe('2026-11-25');
    expect(utcDay(lastMs + 1)).toBe('2026-11-26');
  });

  it('read a typed time as UTC unless it carries an offset, and refuse a date that does not exist', () => {
    expect(parseUtcTime('2025-03-01 09:30')).toBe(Date.UTC(2025, 2, 1, 9, 30));
    expect(parseUtcTime('2025-03-01T09:30+01:00')).toBe(Date.UTC(2025, 2, 1, 8, 30));
    expect(parseUtcTime('2025-02-30')).toBeNull();
  });

  it('format an instant for pages and the CLI', () => {
    expect(formatUtcTime(Date.UTC(2025, 2, 1, 9, 30))).toBe('2025-03-01 09:30 UTC');
    expect(formatUtcTime(null)).toBe('');
  });

  it('show the text given for no time, or for one that is not a number, instead of failing', () => {
    expect(formatUtcTime(undefined, '—')).toBe('—');
    expect(formatUtcTime(null, '—')).toBe('—');
    expect(formatUtcTime(Number.NaN, '—')).toBe('—');
    expect(formatUtcTime(Number.NaN)).toBe('');
  });

  it('give the UTC day alone for pages, or the text given for no time', () => {
    expect(formatUtcDay(Date.UTC(2026, 10, 25, 23, 59))).toBe('2026-11-25');
    expect(formatUtcDay(null, '—')).toBe('—');
    expect(formatUtcDay(undefined)).toBe('');
    expect(formatUtcDay(Number.NaN, '—')).toBe('—');
  });
});
