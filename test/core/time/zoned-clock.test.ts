import { toIsoTime, zonedClock } from '../../../core/time/zoned-clock';

describe("the workspace's clock", () => {
  const utc = zonedClock('UTC');
  const paris = zonedClock('Europe/Paris');
  const newYork = zonedClock('America/New_York');

  it.each([
    ['2031-03-01 09:30', Date.UTC(2031, 2, 1, 9, 30)],
    ['2031-03-01T09:30', Date.UTC(2031, 2, 1, 9, 30)],
    ['2031-03-01T09:30:15Z', Date.UTC(2031, 2, 1, 9, 30, 15)],
    ['2031-03-01T09:30:00.000Z', Date.UTC(2031, 2, 1, 9, 30)],
    ['2031-03-01T11:30+02:00', Date.UTC(2031, 2, 1, 9, 30)],
    ['2031-03-01 04:30 -0500', Date.UTC(2031, 2, 1, 9, 30)],
  ])('reads %s in a UTC workspace', (text, expected) => {
    expect(utc.parse(text)).toBe(expected);
  });

  it('reads a time without an offset as wall-clock time in the workspace zone, in winter and in summer', () => {
    expect(paris.parse('2031-03-01 10:30')).toBe(Date.UTC(2031, 2, 1, 9, 30));
    expect(paris.parse('2031-07-01 10:30')).toBe(Date.UTC(2031, 6, 1, 8, 30));
    expect(newYork.parse('2031-07-01T12:00')).toBe(Date.UTC(2031, 6, 1, 16, 0));
  });

  it('lets an explicit offset win over the workspace zone', () => {
    expect(paris.parse('2031-03-01T09:30Z')).toBe(Date.UTC(2031, 2, 1, 9, 30));
    expect(paris.parse('2031-03-01T11:30+02:00')).toBe(Date.UTC(2031, 2, 1, 9, 30));
  });

  it.each(['', 'tomorrow', '2031-02-30 10:00', '2031-13-01 10:00', '2031-03-01 24:00', '01/03/2031 10:00', '2031-03-01'])('refuses %p', (text) => {
    expect(paris.parse(text)).toBeNull();
  });

  it('refuses a wall-clock time the zone skips when the clocks go forward', () => {
    expect(paris.parse('2031-03-30 02:30')).toBeNull();
    expect(paris.parse('2031-03-30 03:30')).toBe(Date.UTC(2031, 2, 30, 1, 30));
  });

  it('reads a wall-clock time the zone shows twice, when the clocks go back, as the first of the two, east of UTC as west of it', () => {
    expect(paris.parse('2031-10-26 02:30')).toBe(Date.UTC(2031, 9, 26, 0, 30));
    expect(paris.format(Date.UTC(2031, 9, 26, 0, 30))).toBe('2031-10-26 02:30 CEST');
    expect(zonedClock('Australia/Sydney').parse('2031-04-06 02:30')).toBe(Date.UTC(2031, 3, 5, 15, 30));
    expect(newYork.parse('2031-11-02 01:30')).toBe(Date.UTC(2031, 10, 2, 5, 30));
    // The second of the two is written with its offset.
    expect(paris.parse('2031-10-26 02:30+01:00')).toBe(Date.UTC(2031, 9, 26, 1, 30));
    expect(paris.parse('2031-10-26 03:30')).toBe(Date.UTC(2031, 9, 26, 2, 30));
  });

  it('shows a time in the zone with its short name, and fills datetime-local fields in the zone', () => {
    const at = Date.UTC(2031, 2, 1, 9, 30);
    expect(utc.format(at)).toBe('2031-03-01 09:30 UTC');
    expect(paris.format(at)).toBe('2031-03-01 10:30 CET');
    expect(paris.input(at)).toBe('2031-03-01T10:30');
    expect(paris.day(Date.UTC(2031, 2, 1, 23, 30))).toBe('2031-03-02');
    expect(paris.timeOfDay(at)).toBe('10:30');
    expect(paris.format(null)).toBe('');
  });

  it('reads back every instant it exports, to the millisecond, in any zone', () => {
    const planned = Date.UTC(2031, 2, 1, 9, 30, 15, 250);
    expect(toIsoTime(planned)).toBe('2031-03-01T09:30:15.250Z');
    for (const clock of [utc, paris, newYork]) expect(clock.parse(toIsoTime(planned))).toBe(planned);
    expect(paris.parse('2031-03-01 10:30:15.25')).toBe(planned);
    expect(utc.parse('2031-03-01 09:30:15.5')).toBe(Date.UTC(2031, 2, 1, 9, 30, 15, 500));
  });

  it('exports times as UTC ISO 8601, whatever the zone', () => {
    expect(toIsoTime(Date.UTC(2031, 2, 1, 9, 30))).toBe('2031-03-01T09:30:00Z');
  });

  it('shows an instant the same each time it is asked, on both sides of a clock change', () => {
    const before = Date.UTC(2031, 2, 30, 0, 59);
    const after = Date.UTC(2031, 2, 30, 1, 0);
    for (let round = 0; round < 2; round++) {
      expect(paris.format(before)).toBe('2031-03-30 01:59 CET');
      expect(paris.format(after)).toBe('2031-03-30 03:00 CEST');
      expect(paris.timeOfDay(after)).toBe('03:00');
      expect(utc.timeOfDay(after)).toBe('01:00');
      expect(utc.day(Date.UTC(2031, 11, 31, 23, 59, 59))).toBe('2031-12-31');
    }
  });
});
