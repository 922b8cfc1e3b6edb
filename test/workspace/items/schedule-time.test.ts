import { formatScheduleTime, parseScheduleTime, toDateTimeLocal, toIsoTime } from '../../../workspace/items/schedule-time';

describe('scheduled times', () => {
  it.each([
    ['2031-03-01 09:30', Date.UTC(2031, 2, 1, 9, 30)],
    ['2031-03-01T09:30', Date.UTC(2031, 2, 1, 9, 30)],
    ['2031-03-01T09:30:15Z', Date.UTC(2031, 2, 1, 9, 30, 15)],
    ['2031-03-01T09:30:00.000Z', Date.UTC(2031, 2, 1, 9, 30)],
    ['2031-03-01T11:30+02:00', Date.UTC(2031, 2, 1, 9, 30)],
    ['2031-03-01 04:30 -0500', Date.UTC(2031, 2, 1, 9, 30)],
  ])('reads %s (no offset means UTC)', (text, expected) => {
    expect(parseScheduleTime(text)).toBe(expected);
  });

  it.each(['', 'tomorrow', '2031-02-30 10:00', '2031-13-01 10:00', '2031-03-01 24:00', '01/03/2031 10:00', '2031-03-01'])('refuses %p', (text) => {
    expect(parseScheduleTime(text)).toBeNull();
  });

  it('formats for pages, datetime-local fields and exports', () => {
    const at = Date.UTC(2031, 2, 1, 9, 30);
    expect(formatScheduleTime(at)).toBe('2031-03-01 09:30');
    expect(toDateTimeLocal(at)).toBe('2031-03-01T09:30');
    expect(toIsoTime(at)).toBe('2031-03-01T09:30:00Z');
    expect(formatScheduleTime(null)).toBe('');
  });
});
