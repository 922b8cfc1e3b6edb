import { z } from 'zod';
import { msg } from '../i18n/message';

/**
 * The revision a page showed (an item's, the settings', a role's), sent back by its forms in a
 * hidden field. A page from before the field existed sends none, and is taken as before
 * (docs/decisions/048-stale-revisions.md).
 */
export const revisionFormSchema = z.object({
  revision: z
    .string({ error: msg('must be the revision the page showed') })
    .regex(/^[1-9][0-9]{0,14}$/, { error: msg('must be the revision the page showed') })
    .transform(Number)
    .optional(),
});
