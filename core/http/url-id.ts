import { z } from 'zod';
import { NotFoundError } from '../errors/app-errors';

/**
 * A numeric id from a URL or form: digits only, no sign, no leading zero, at most 15 digits.
 * Anything else (`0x10`, `1e1`, `+16`, ` 16`) is not an id.
 */
const NUMERIC_ID = /^[1-9][0-9]{0,14}$/;

export function parseNumericId(value: unknown): number | undefined {
  return typeof value === 'string' && NUMERIC_ID.test(value) ? Number(value) : undefined;
}

/**
 * The URL parameters of a workspace API route for one thing by its numeric id (/t/:slug/<things>/:id),
 * as the API's document gives them: the ids numericIdOrNotFound takes.
 */
export const slugAndNumericIdParams = z.object({ slug: z.string(), id: z.string().regex(NUMERIC_ID) });

/** A numeric id from the URL; anything else is simply not found. */
export function numericIdOrNotFound(value: unknown): number {
  const id = parseNumericId(value);
  if (id === undefined) throw new NotFoundError();
  return id;
}

/**
 * A numeric id in a form or JSON body, as zod: digits (a form field) or a whole number (JSON),
 * never `true`, `1e1` or `0x10`. `message` is the field's reason when it is anything else.
 */
export function numericIdField(message: string) {
  return z.union([z.string(), z.number()], { error: message }).transform((value, ctx) => {
    const id = typeof value === 'number' ? (Number.isSafeInteger(value) && value > 0 ? value : undefined) : parseNumericId(value);
    if (id === undefined) {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
    return id;
  });
}

/**
 * A whole number from a query string or a CLI option (a page's `limit`, a `page`), as zod: written
 * in digits as an id is, never `1e2`, `0x10`, ` 5`, `+5` or `05`, which a coercion would read as
 * another number; a number (JSON) goes to `inner` as it is. `inner` holds the range, its reasons
 * and any default, and is what the API's documentation shows.
 */
export function digitsField<T extends z.ZodType>(inner: T) {
  return z.preprocess((value) => (typeof value === 'string' ? (parseNumericId(value) ?? Number.NaN) : value), inner);
}
