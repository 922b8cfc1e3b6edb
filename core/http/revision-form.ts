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
 * Refuses (409, nothing written) a change of a form that holds every field of the thing, made on
 * another revision than the current one: called inside the command's write, so no change lands
 * between the check and the write. No expected revision (an API client that sends none, a page
 * from before the field) checks nothing. The refused page shows the current values again, with the
 * message: its every field is sent back, so what was typed would hide the other person's change.
 */
export function checkFormRevision(current: number, expected: number | undefined, message: string, context: Record<string, unknown> = {}): void {
  if (expected === undefined || expected === current) return;
  throw new RevisionConflictError(message, current, { ...context, expected }, 'current');
}
