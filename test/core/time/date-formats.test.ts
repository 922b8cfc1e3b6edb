import { dateTimeFormat } from '../../../core/time/date-formats';

describe('dateTimeFormat', () => {
  const day = { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' } as const;

  it('gives the same format again for the same locale and options', () => {
    expect(dateTimeFormat('fr-FR', day)).toBe(dateTimeFormat('fr-FR', { ...day }));
  });

  it('gives another format for another locale or other options', () => {
    expect(dateTimeFormat('en-GB', day)).not.toBe(dateTimeFormat('fr-FR', day));
    expect(dateTimeFormat('fr-FR', { ...day, timeZone: 'Europe/Paris' })).not.toBe(dateTimeFormat('fr-FR', day));
  });

  it('formats as a format made afresh does', () => {
    const instant = new Date('2026-11-28T00:00:00Z');

    expect(dateTimeFormat('fr-FR', day).format(instant)).toBe(new Intl.DateTimeFormat('fr-FR', day).format(instant));
    expect(dateTimeFormat('fr-FR', day).format(instant)).toBe('samedi 28 novembre');
  });

  it('refuses a time zone Intl does not know, as Intl does', () => {
    expect(() => dateTimeFormat('en-GB', { timeZone: 'Mars/Olympus' })).toThrow(RangeError);
  });
});
