import { onMissingTranslation, translatorFor } from '../../../core/i18n/translator';

describe('a language’s translation function', () => {
  it('gives the same translation each time a text is asked for', () => {
    const t = translatorFor('fr');
    expect(t('(you)')).toBe('(vous)');
    expect(t('(you)')).toBe('(vous)');
    expect(translatorFor('en')('(you)')).toBe('(you)');
  });

  it('still fills in the values of a text that has some', () => {
    const t = translatorFor('fr');
    expect(t('(read-only) until {{time}}.', { time: '10:00' })).toBe("(lecture seule) jusqu'à 10:00.");
    expect(t('(read-only) until {{time}}.', { time: '11:30' })).toBe("(lecture seule) jusqu'à 11:30.");
  });

  it('reports a text the language lacks every time it is asked for, and shows it as it is', () => {
    const missing: string[] = [];
    const stop = onMissingTranslation((language, key) => missing.push(`${language}: ${key}`));
    try {
      const t = translatorFor('fr');
      expect(t('A text no catalogue has')).toBe('A text no catalogue has');
      expect(t('A text no catalogue has')).toBe('A text no catalogue has');
    } finally {
      stop();
    }
    expect(missing).toEqual(['fr: A text no catalogue has', 'fr: A text no catalogue has']);
  });
});
