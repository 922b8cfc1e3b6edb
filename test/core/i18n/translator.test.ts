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

/** Every plural text (a catalogue key with a plural suffix), each with a value per placeholder name besides the count. */
function pluralTexts(): Array<[string, Record<string, string>]> {
  const keys = new Set(
    LANGUAGE_CODES.flatMap((code) => Object.keys(readCatalogue(code)))
      .filter((key) => PLURAL.test(key))
      .map((key) => key.replace(PLURAL, '')),
  );
  return [...keys].map((key) => [
    key,
    Object.fromEntries([...key.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].filter(([, name]) => name !== 'count').map(([, name]) => [name, `<${name} value>`])),
  ]);
}

/** Counts that reach every plural form of the product's languages, and a few that are not whole. */
const COUNTS = [0, 1, 2, 3, 5, 11, 21, 101, 1_000_000, 1.5, -1];

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

  it.each(LANGUAGE_CODES)('in %s picks and fills in the plural form of every product text as i18next does, for any count', (code) => {
    const reference = createCatalogues().getFixedT(code);
    const t = translatorFor(code);
    const texts = pluralTexts();
    expect(texts.length).toBeGreaterThan(10);
    const differing = texts.flatMap(([key, values]) =>
      COUNTS.filter((count) => t(key, { ...values, count }) !== reference(key, { ...values, count })).map((count) => `${key} (${count})`),
    );
    expect(differing).toEqual([]);
  });

  it('leaves a count given as text to i18next, which does not pick a plural form for it', () => {
    const reference = createCatalogues().getFixedT('fr');
    const key = pluralTexts()[0][0];

    expect(translatorFor('fr')(key, { count: '2' })).toBe(reference(key, { count: '2' }));
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
