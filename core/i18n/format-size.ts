import type { Language } from './languages';
import { numberFormat } from './number-formats';

const MB = 1024 * 1024;

/** The units each language writes sizes in: French counts octets (o, Ko, Mo, Go). */
const UNITS: Record<Language, readonly [string, string, string, string]> = {
  en: ['B', 'KB', 'MB', 'GB'],
  fr: ['o', 'Ko', 'Mo', 'Go'],
};

/** A number with `digits` decimals as the language writes it (French: a decimal comma), never grouped. */
function decimal(value: number, digits: number, language: Language): string {
  return numberFormat(language, { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false }).format(value);
}

/** A number of bytes as people read it in a language (English: B, KB, MB; French: o, Ko, Mo, with a decimal comma). */
export function formatSize(bytes: number, language: Language): string {
  const [b, kb, mb, gb] = UNITS[language];
  if (bytes < 1024) return `${bytes} ${b}`;
  if (bytes < MB) return `${decimal(bytes / 1024, bytes < 10 * 1024 ? 1 : 0, language)} ${kb}`;
  if (bytes < 1024 * MB) return `${decimal(bytes / MB, bytes < 10 * MB ? 1 : 0, language)} ${mb}`;
  return `${decimal(bytes / (1024 * MB), 1, language)} ${gb}`;
}
