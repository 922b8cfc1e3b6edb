import type { Language } from './languages';
import { numberFormat } from './number-formats';

/** A share in whole percent (80 for 80%) as the language writes it: English 80%, French 80 % (a no-break space, narrow in recent CLDR data). */
export function formatPercent(percent: number, language: Language): string {
  return numberFormat(language, { style: 'percent', maximumFractionDigits: 0 }).format(percent / 100);
}
