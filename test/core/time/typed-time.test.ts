import { readTypedTime } from '../../../core/time/typed-time';
import { parseUtcTime } from '../../../core/time/utc-time';
import { zonedClock } from '../../../core/time/zoned-clock';

describe('a typed date and time', () => {
  it('gives its parts, its wall-clock instant and the offset typed with it', () => {
    expect(readTypedTime('2031-03-01T09:30:15-04:30', { dayAlone: false })).toEqual({
      year: 2031,
      month: 3,
      day: 1,
      hour: 9,
      minute: 30,
      second: 15,
      millisecond: 0,
      wallMs: Date.UTC(2031, 2, 1, 9, 30, 15),
      offsetMinutes: -270,
    });
    expect(readTypedTime('2031-03-01 09:30', { dayAlone: false })?.offsetMinutes).toBeUndefined();
    expect(readTypedTime('2031-03-01 09:30Z', { dayAlone: false })?.offsetMinutes).toBe(0);
    expect(readTypedTime('2031-03-01T09:30:15.25Z', { dayAlone: false })).toMatchObject({ millisecond: 250, wallMs: Date.UTC(2031, 2, 1, 9, 30, 15, 250) });
  });

  it('takes a day alone as its midnight only where that is allowed', () => {
    expect(readTypedTime('2031-03-01', { dayAlone: true })?.wallMs).toBe(Date.UTC(2031, 2, 1));
    expect(readTypedTime('2031-03-01', { dayAlone: false })).toBeNull();
  });

  it.each([
    ['an offset past 23 hours', '2031-03-01T09:30+99:99'],
    ['an offset past 59 minutes', '2031-03-01T09:30-00:75'],
    ['a year before 100, which Date.UTC would move to the 1900s', '0031-03-01T09:30Z'],
    ['the year 0', '0000-01-01 00:00'],
    ['a day that does not exist', '2031-02-29 10:00'],
    ['a second past 59', '2031-03-01 10:00:60'],
  ])('is refused with %s, never rolled over to another time', (_label, text) => {
    expect(readTypedTime(text, { dayAlone: true })).toBeNull();
    // The same text everywhere a time is typed: a workspace's forms and imports, and the operator's commands.
    expect(zonedClock('Europe/Paris').parse(text)).toBeNull();
    expect(parseUtcTime(text)).toBeNull();
  });

  it('refuses a well-written time whose instant falls in the year 10000, with an offset or in a zone behind UTC', () => {
    expect(parseUtcTime('9999-12-31T23:59-23:59')).toBeNull();
    expect(zonedClock('Pacific/Pago_Pago').parse('9999-12-31 23:59')).toBeNull();
    expect(zonedClock('Europe/Paris').parse('9999-12-31 23:59')).toBe(Date.UTC(9999, 11, 31, 22, 59));
  });

  it('accepts the bounds themselves', () => {
    expect(parseUtcTime('2031-03-01T09:30+23:59')).toBe(Date.UTC(2031, 2, 1, 9, 30) - (23 * 60 + 59) * 60_000);
    expect(parseUtcTime('0100-01-01 00:00')).toBe(new Date('0100-01-01T00:00:00Z').getTime());
  });
});
