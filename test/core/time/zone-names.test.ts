import { currentZoneName } from '../../../core/time/zone-names';
import { zonedClock } from '../../../core/time/zoned-clock';

describe("a zone's current name", () => {
  it.each([
    ['Asia/Calcutta', 'Asia/Kolkata'],
    ['Europe/Kiev', 'Europe/Kyiv'],
    ['America/Buenos_Aires', 'America/Argentina/Buenos_Aires'],
    ['Europe/Paris', 'Europe/Paris'],
    ['UTC', 'UTC'],
    ['Not/A_Zone', 'Not/A_Zone'],
  ])('of %s is %s', (listed, current) => {
    expect(currentZoneName(listed)).toBe(current);
  });

  it("names a clock's zone for people while the clock keeps the name it computes with", () => {
    const clock = zonedClock('Asia/Calcutta');
    expect(clock).toMatchObject({ zone: 'Asia/Calcutta', zoneName: 'Asia/Kolkata' });
    expect(clock.format(Date.UTC(2031, 2, 1, 4, 0))).toBe('2031-03-01 09:30 GMT+5:30');
  });
});
