import { LRUCache } from 'lru-cache';

const formats = new LRUCache<string, Intl.DateTimeFormat>({ max: 1000 });

/**
 * An `Intl.DateTimeFormat` for a locale and options, made once and kept (making one costs about
 * a hundred microseconds, formatting with it about one): pages that show dates in the reader's
 * language or the workspace's zone ask for the same few formats on every request.
 */
export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}\u0000${JSON.stringify(options)}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    formats.set(key, format);
  }
  return format;
}
