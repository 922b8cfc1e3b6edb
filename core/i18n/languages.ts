/**
 * The languages every page and mail of a workspace is translated into, by code (also the
 * pages' `lang`). A language is listed here only when its catalogue is complete: the catalogue
 * test fails on any string that has no translation.
 */
export const LANGUAGES = { en: 'English', fr: 'Français' } as const;
export type Language = keyof typeof LANGUAGES;
export const LANGUAGE_CODES = Object.keys(LANGUAGES) as Language[];
export const DEFAULT_LANGUAGE: Language = 'en';

/** The locale each language writes dates in (English: day before month). */
export const DATE_LOCALES: Record<Language, string> = { en: 'en-GB', fr: 'fr-FR' };

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && Object.hasOwn(LANGUAGES, value);
}
