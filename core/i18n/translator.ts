import fs from 'node:fs';
import path from 'node:path';
import i18next, { type i18n } from 'i18next';
import { DEFAULT_LANGUAGE, LANGUAGE_CODES, type Language } from './languages';
import { unpack, type MessageParams } from './message';
import { formatSize } from './format-size';
import { formatPercent } from './format-percent';

/** Translates a message (a key, or what msg() made) into one language, with extra values if any. */
export type Translate = (text: string, params?: MessageParams) => string;

const LOCALES_DIR = path.resolve(__dirname, '../../locales');

/** The catalogue of one language: English text (with `_one`/`_other` for plurals) to its translation. */
export function readCatalogue(language: Language): Record<string, string> {
  return JSON.parse(fs.readFileSync(path.join(LOCALES_DIR, `${language}.json`), 'utf8')) as Record<string, string>;
}

type MissingListener = (language: string, key: string) => void;
const missingListeners = new Set<MissingListener>();

/** Tells `listener` of every text looked up in a language whose catalogue lacks it (tests use it). */
export function onMissingTranslation(listener: MissingListener): () => void {
  missingListeners.add(listener);
  return () => missingListeners.delete(listener);
}

/** A fresh i18next instance over every catalogue, configured as the product uses it (tests compare against it). */
export function createCatalogues(): i18n {
  const instance = i18next.createInstance();
  void instance.init({
    initAsync: false,
    lng: DEFAULT_LANGUAGE,
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: LANGUAGE_CODES,
    // The English text is the key: a sentence may hold dots and colons.
    keySeparator: false,
    nsSeparator: false,
    // Views escape what they print; escaping here too would show &amp; to readers.
    interpolation: { escapeValue: false },
    returnEmptyString: false,
    resources: Object.fromEntries(LANGUAGE_CODES.map((code) => [code, { translation: readCatalogue(code) }])),
    saveMissing: true,
    saveMissingTo: 'current',
    missingKeyHandler: (languages, _ns, key) => {
      for (const language of languages) if (language !== DEFAULT_LANGUAGE) for (const listener of missingListeners) listener(language, key);
    },
  });
  return instance;
}

/** The texts a language's catalogue translates; in English, whose texts are their own keys, every catalogue's. */
function productTexts(instance: i18n, language: Language): ReadonlySet<string> {
  const languages = language === DEFAULT_LANGUAGE ? LANGUAGE_CODES : [language];
  return new Set(languages.flatMap((code) => Object.keys(instance.getResourceBundle(code, 'translation') as Record<string, string>)));
}

/** Values i18next reads as options (context and the like): such a text goes through it (a numeric count, a plural, only when needed). */
const I18NEXT_OPTIONS = new Set([
  'count',
  'context',
  'ordinal',
  'defaultValue',
  'lng',
  'lngs',
  'ns',
  'replace',
  'postProcess',
  'returnObjects',
  'returnDetails',
  'joinArrays',
  'keyPrefix',
  'interpolation',
]);

/** Whether i18next has more to do than pick a plural form and fill placeholders in. */
function needsI18next(values: Record<string, unknown>): boolean {
  for (const name in values) if (I18NEXT_OPTIONS.has(name) && !(name === 'count' && typeof values.count === 'number')) return true;
  return false;
}

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;

/**
 * A wording with its `{{name}}` placeholders filled in from the values, as i18next does with
 * escaping off (views escape what they print), but in a fraction of its time (tens of
 * microseconds a text). Undefined for anything else i18next would do: a nested `$t(...)`, a
 * formatted or unescaped placeholder, a value not given, an empty wording.
 */
function filledIn(wording: string, values: Record<string, string | number>): string | undefined {
  if (!wording || wording.includes('$t(')) return undefined;
  let complete = true;
  const text = wording.replace(PLACEHOLDER, (whole, inner: string) => {
    const name = inner.trim();
    if (!/^\w+$/.test(name) || !Object.hasOwn(values, name)) {
      complete = false;
      return whole;
    }
    return String(values[name]);
  });
  return complete ? text : undefined;
}

let catalogues: i18n | undefined;
const translators = new Map<Language, Translate>();

/** The translation function of a language (made once; the catalogues are read at first use). */
export function translatorFor(language: Language): Translate {
  let translate = translators.get(language);
  if (!translate) {
    catalogues ??= createCatalogues();
    const fixed = catalogues.getFixedT(language);
    const bundle = catalogues.getResourceBundle(language, 'translation') as Record<string, string>;
    const known = productTexts(catalogues, language);
    // A text without values is translated once: a page asks for hundreds. Only the product's texts
    // are kept (a bounded set: the catalogue's, or in English any catalogue's), and a text the
    // language lacks is looked up (and reported) each time.
    const plain = new Map<string, string>();
    /** The language's wording of a product text, or undefined when it lacks one. */
    const wordingOf = (key: string): string | undefined =>
      Object.hasOwn(bundle, key) ? bundle[key] : language === DEFAULT_LANGUAGE && known.has(key) ? key : undefined;
    const plurals = new Intl.PluralRules(language);
    /**
     * The language's plural form of a text for a count (`key_one`, `key_other`...: the form
     * i18next picks, by the same Intl rules), or undefined when the language lacks it (i18next
     * falls back and reports it). The catalogues have no `_zero` forms, which i18next would prefer
     * for 0: the test that compares every plural text with i18next's, 0 among the counts, fails
     * if one is added.
     */
    const pluralWordingOf = (key: string, count: number): string | undefined => {
      const form = `${key}_${plurals.select(count)}`;
      return Object.hasOwn(bundle, form) ? bundle[form] : undefined;
    };
    const self = (text: string, params?: MessageParams): string => {
      const { key, params: carried } = unpack(text);
      if (!carried && !params) {
        let translated = plain.get(key);
        if (translated === undefined) {
          translated = fixed(key);
          if (known.has(key)) plain.set(key, translated);
        }
        return translated;
      }
      const values: Record<string, string | number> = {};
      for (const [name, value] of Object.entries({ ...carried, ...params })) {
        if (typeof value !== 'object') values[name] = value;
        else if ('bytes' in value) values[name] = formatSize(value.bytes, language);
        else if ('percent' in value) values[name] = formatPercent(value.percent, language);
        else values[name] = value.lower ? self(value.t).toLowerCase() : self(value.t);
      }
      const count = values.count;
      const wording = needsI18next(values) ? undefined : typeof count === 'number' ? pluralWordingOf(key, count) : wordingOf(key);
      return (wording !== undefined && filledIn(wording, values)) || fixed(key, values);
    };
    translate = self;
    translators.set(language, translate);
  }
  return translate;
}

/** A message in plain English: for logs, the CLI and the JSON API. */
export function inEnglish(text: string): string {
  return translatorFor(DEFAULT_LANGUAGE)(text);
}
