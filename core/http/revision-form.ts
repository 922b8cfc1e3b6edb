import { z } from 'zod';
import { msg } from '../i18n/message';
import { RevisionConflictError } from '../errors/app-errors';

/**
 * The revision a page showed (an item's, the settings', a role's, a plan's, a tenant's plan and
 * overrides), sent back by its forms in a hidden field. A page from before the field existed sends
 * none, and is taken as before (docs/decisions/048-stale-revisions.md).
 */
export const revisionFormSchema = z.object({
  revision: z
    .string({ error: msg('must be the revision the page showed') })
    .regex(/^[1-9][0-9]{0,14}$/, { error: msg('must be the revision the page showed') })
    .transform(Number)
    .optional(),
});

/**
 * The revision an API client read, sent back as an optional field of a change (an item's, the
 * settings', a role's, a tenant's plan and overrides): a positive whole number, anything else a 400
 * naming the field in the same words everywhere. `description` says what happens to a stale one.
 */
export function apiRevisionField(description: string) {
  const refused = { error: 'must be a revision number' };
  return z.number(refused).int(refused).min(1, refused).optional().describe(description);
}

/**
 * Whether a change made on revision `expected` is refused as stale (docs/decisions/048-stale-revisions.md):
 * it names a revision (none named checks nothing), not the `current` one, and it would change
 * something. One that would leave everything as it is now (every field it sends already holds what is
 * stored: a double click on "Save", the same form sent again after it saved) loses nobody's change,
 * and is taken as a save that changes nothing: answered as one, nothing written. `changes` is asked
 * only then, inside the command's write, after the current state is read.
 */
export function isStaleChange(current: number, expected: number | undefined, changes: () => boolean): boolean {
  return expected !== undefined && expected !== current && changes();
}

/**
 * Refuses (409, nothing written) a change of a form that holds every field of the thing, made on
 * another revision than the current one, when it would change something (`isStaleChange`): called
 * inside the command's write, so no change lands between the check and the write. No expected
 * revision (an API client that sends none, a page from before the field) checks nothing. The
 * refused page shows the current values again, with the message: its every field is sent back, so
 * what was typed would hide the other person's change.
 */
export function checkFormRevision(
  current: number,
  expected: number | undefined,
  changes: () => boolean,
  message: string,
  context: Record<string, unknown> = {},
): void {
  if (!isStaleChange(current, expected, changes)) return;
  throw new RevisionConflictError(message, current, { ...context, expected }, 'current');
}
