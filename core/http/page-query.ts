import { z } from 'zod';
import { ValidationError } from '../errors/app-errors';
import { digitsField } from './url-id';

/**
 * A page's size and where it starts, for every list of the API that pages: `limit` (1-100, in digits) and
 * `cursor`, the `next_cursor` of the previous page (base64url text, at most `cursorLength` long).
 */
export function pageQuery(defaultLimit: number, cursorLength = 64) {
  return {
    limit: digitsField(
      z
        .number({ error: 'must be 1-100' })
        .int({ error: 'must be 1-100' })
        .min(1, { error: 'must be 1-100' })
        .max(100, { error: 'must be 1-100' })
        .default(defaultLimit),
    ),
    cursor: z
      .string({ error: 'is not a cursor from a previous page' })
      .regex(new RegExp(`^[A-Za-z0-9_-]{1,${cursorLength}}$`), { error: 'is not a cursor from a previous page' })
      .optional()
      .describe('next_cursor of the previous page'),
  };
}

/** A list's position as the opaque text of a cursor: its parts joined by dots, in base64url. */
export function cursorText(parts: Array<string | number>): string {
  return Buffer.from(parts.join('.')).toString('base64url');
}

/** The parts a cursor's text holds, as `pattern`'s groups read them; undefined for text no page gave. */
export function cursorParts(cursor: string, pattern: RegExp): string[] | undefined {
  return pattern.exec(Buffer.from(cursor, 'base64url').toString())?.slice(1);
}

/**
 * Where a page starts: what `parse` reads in the request's cursor (undefined without one). A
 * cursor no page of this list made is refused, 400 naming `cursor`.
 */
export function cursorPosition<P>(cursor: string | undefined, parse: (cursor: string) => P | undefined | null): P | undefined {
  if (cursor === undefined) return undefined;
  const position = parse(cursor);
  if (position === undefined || position === null) throw ValidationError.single('cursor', 'is not a cursor from a previous page');
  return position;
}

/**
 * A page from the `limit + 1` rows a list read (the one more tells whether another page follows):
 * the rows to answer, and the next page's cursor, made from the last of them (null on the last page).
 */
export function pageOf<T>(rows: T[], limit: number, cursorOf: (last: T) => string): { page: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  return { page, nextCursor: rows.length > limit ? cursorOf(page[page.length - 1]) : null };
}

/** A list's position as a page's query string gives it: the cursor as sent, and the position it names. */
export interface PagePosition<P> {
  cursor: string;
  position: P;
}

/**
 * A page's query field holding where one of its lists starts (`?after=` from its Next link). A
 * cursor `parse` reads gives its text and position; none, one no page gave, or one sent twice is
 * undefined, and the page shows that list from its start (a page answers, where the API refuses).
 */
export function pagePosition<P>(parse: (cursor: string) => P | undefined) {
  return z
    .string()
    .transform((cursor): PagePosition<P> | undefined => {
      const position = parse(cursor);
      return position === undefined ? undefined : { cursor, position };
    })
    .optional()
    .catch(undefined);
}
