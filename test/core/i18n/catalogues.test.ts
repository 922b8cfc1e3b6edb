import { LANGUAGE_CODES, DEFAULT_LANGUAGE } from '../../../core/i18n/languages';
import { readCatalogue } from '../../../core/i18n/translator';
import { keysUsed, placeholders, read, translatedViews } from '../../support/translation-keys';

const PLURAL = /_(zero|one|two|few|many|other)$/;
const used = keysUsed();
const others = LANGUAGE_CODES.filter((code) => code !== DEFAULT_LANGUAGE);

/** What a view prints outside EJS tags and in the attributes people read, with EJS removed. */
function visibleText(template: string): string[] {
  const withoutEjs = template.replace(/<%[\s\S]*?%>/g, ' ');
  const withoutCode = withoutEjs.replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ').replace(/<code>[\s\S]*?<\/code>/g, ' ');
  const texts = [...withoutCode.matchAll(/>([^<>]+)</g)].map((m) => m[1]);
  const attributes = [...withoutCode.matchAll(/\b(?:title|placeholder|aria-label|alt|data-confirm)="([^"]*)"/g)].map((m) => m[1]);
  return [...texts, ...attributes].map((s) => s.trim()).filter((s) => /\p{L}{2,}/u.test(s) && !/^(Tenantry|CSV)$/.test(s));
}

/** String literals printed by EJS output tags (<%= ... %>) that are not the key of a t() call. */
function printedLiterals(template: string): string[] {
  const found: string[] = [];
  for (const [, code] of template.matchAll(/<%=([\s\S]*?)%>/g)) {
    const rest = code.replace(/(?<![\w.$])t\(\s*('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")/g, 't(KEY');
    for (const [, literal] of rest.matchAll(/'((?:[^'\\]|\\.)*)'/g)) if (/[A-Z][a-z]|[a-z] [a-z]/.test(literal) && literal !== 'Tenantry') found.push(literal);
  }
  return found;
}

describe('the translations', () => {
  it.each(translatedViews())('%s prints text only through t()', (view) => {
    const template = read(view);
    expect({ view, untranslated: [...visibleText(template), ...printedLiterals(template)] }).toEqual({ view, untranslated: [] });
  });

  it.each(others)('%s has a translation for every text the product shows', (code) => {
    const catalogue = readCatalogue(code);
    const missing = [...used.keys()].filter((key) => !(key in catalogue) && !(`${key}_one` in catalogue && `${key}_other` in catalogue));
    expect(missing).toEqual([]);
  });

  it.each(LANGUAGE_CODES)('%s keeps no translation the product no longer uses', (code) => {
    const stale = Object.keys(readCatalogue(code)).filter((key) => !used.has(key.replace(PLURAL, '')));
    expect(stale).toEqual([]);
  });

  it.each(LANGUAGE_CODES)('%s puts into each translation the values its English text has', (code) => {
    const catalogue = readCatalogue(code);
    const wrong = Object.entries(catalogue).filter(([key, text]) => {
      const expected = placeholders(key.replace(PLURAL, ''));
      // A singular may say "one" instead of showing the count.
      const got = placeholders(text);
      return /_one$/.test(key) ? got.some((p) => !expected.includes(p)) : got.join() !== expected.join();
    });
    expect(wrong).toEqual([]);
  });

  it('gives every counted English text its singular and plural', () => {
    const english = readCatalogue(DEFAULT_LANGUAGE);
    const counted = [...used.keys()].filter((key) => placeholders(key).includes('count'));
    expect(counted.filter((key) => !(`${key}_one` in english && `${key}_other` in english))).toEqual([]);
    for (const code of others) {
      const catalogue = readCatalogue(code);
      expect(counted.filter((key) => !(`${key}_one` in catalogue && `${key}_other` in catalogue))).toEqual([]);
    }
  });
});
