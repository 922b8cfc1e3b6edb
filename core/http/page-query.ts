import { z } from 'zod';

/**
 * A page's size and where it starts, for every list of the API that pages: `limit` (1-100) and
 * `cursor`, the `next_cursor` of the previous page (base64url text, at most `cursorLength` long).
 */
export function pageQuery(defaultLimit: number, cursorLength = 64) {
  return {
    limit: z.coerce
      .number({ error: 'must be 1-100' })
      .int({ error: 'must be 1-100' })
      .min(1, { error: 'must be 1-100' })
      .max(100, { error: 'must be 1-100' })
      .default(defaultLimit),
    cursor: z
      .string({ error: 'is not a cursor from a previous page' })
      .regex(new RegExp(`^[A-Za-z0-9_-]{1,${cursorLength}}$`), { error: 'is not a cursor from a previous page' })
      .optional()
      .describe('next_cursor of the previous page'),
  };
}
