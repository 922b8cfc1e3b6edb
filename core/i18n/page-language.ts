import type { Request, RequestHandler, Response } from 'express';
import { DEFAULT_LANGUAGE, LANGUAGE_CODES, isLanguage, type Language } from './languages';
import { translatorFor } from './translator';

/** The browser's preferred language among those translated, else English. */
export function browserLanguage(req: Request): Language {
  const preferred = req.acceptsLanguages(...LANGUAGE_CODES);
  return isLanguage(preferred) ? preferred : DEFAULT_LANGUAGE;
}

/**
 * What the views read: `lang` (the page's language) and `t` (translates into it). The language
 * is asked for when a view first needs it, so a JSON answer never reads a workspace's settings.
 */
export function useLanguage(res: Response, language: () => Language): void {
  Object.defineProperty(res.locals, 'lang', { get: language, enumerable: true, configurable: true });
  res.locals.t = (text: string, params?: Record<string, string | number>) => translatorFor(language())(text, params);
}

/** Whether a step already chose the page's language (a workspace's, the console's English). */
export function hasPageLanguage(res: Response): boolean {
  return Object.hasOwn(res.locals, 'lang');
}

/** The operators' console (super admins, first-run set-up) is written in English only. */
export const englishOnly: RequestHandler = (_req, res, next) => {
  useLanguage(res, () => DEFAULT_LANGUAGE);
  next();
};
