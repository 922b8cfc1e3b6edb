import { LANGUAGE_CODES } from '../../../core/i18n/languages';
import { createCatalogues, onMissingTranslation, readCatalogue, translatorFor } from '../../../core/i18n/translator';

const PLURAL = /_(zero|one|two|few|many|other)$/;

/** Every product text with placeholders (the keys of every catalogue), each with a value per placeholder name. */
function textsWithValues(): Array<[string, Record<string, string>]> {
  const keys = new Set(LANGUAGE_CODES.flatMap((code) => Object.keys(readCatalogue(code))).map((key) => key.replace(PLURAL, '')));
  return [...keys]
    .filter((key) => key.includes('{{') && !key.includes('{{count}}'))
    .map((key) => [key, Object.fromEntries([...key.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map(([, name]) => [name, `<${name} value>`]))]);
}

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

  it.each(LANGUAGE_CODES)('in %s fills in every product text with values as i18next does', (code) => {
    const reference = createCatalogues().getFixedT(code);
    const t = translatorFor(code);
    const texts = textsWithValues();
    expect(texts.length).toBeGreaterThan(50);
    const differing = texts.filter(([key, values]) => t(key, values) !== reference(key, values)).map(([key]) => key);
    expect(differing).toEqual([]);
  });

  it('puts a value in as it is, even one that looks like a replacement pattern', () => {
    expect(translatorFor('en')('Select {{title}}', { title: 'a $& b $1' })).toBe('Select a $& b $1');
  });

  it('reports a text with values the language lacks, and still fills it in', () => {
    const missing: string[] = [];
    const stop = onMissingTranslation((language, key) => missing.push(`${language}: ${key}`));
    try {
      expect(translatorFor('fr')('No catalogue has {{thing}}', { thing: 'this' })).toBe('No catalogue has this');
    } finally {
      stop();
    }
    expect(missing).toEqual(['fr: No catalogue has {{thing}}']);
  });
});
