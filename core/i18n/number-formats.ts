import { LRUCache } from 'lru-cache';

const formats = new LRUCache<string, Intl.NumberFormat>({ max: 100 });

/**
 * An `Intl.NumberFormat` for a locale and options, made once and kept, as `dateTimeFormat` keeps
 * date formats: sizes and shares on a page ask for the same few on every request.
 */
export function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}\u0000${JSON.stringify(options)}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, options);
    formats.set(key, format);
  }
  return format;
}
