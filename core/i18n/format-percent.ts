import type { Language } from './languages';

const percentFormats = new Map<Language, Intl.NumberFormat>();

/** A share in whole percent (80 for 80%) as the language writes it: English 80%, French 80 % (a no-break space, narrow in recent CLDR data). */
export function formatPercent(percent: number, language: Language): string {
  let format = percentFormats.get(language);
  if (!format) {
    format = new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 0 });
    percentFormats.set(language, format);
  }
  return format.format(percent / 100);
}
