import { z } from 'zod';
import { hasNoDirectionControls, ONE_LINE_TEXT, showsSomething } from '../../core/text/visible-text';
import { confirmSlugSchema } from '../lifecycle/confirm-slug';

/** How long a reason or a note may be: a few sentences, kept in the audit trail and mailed. */
export const DELETION_TEXT_MAX = 500;

const text = () =>
  z
    .string({ error: 'must be text' })
    .trim()
    .max(DELETION_TEXT_MAX, { error: 'must be at most 500 characters' })
    .regex(ONE_LINE_TEXT, { error: 'must be one line, without control characters' })
    .refine(hasNoDirectionControls, { error: 'must not contain text-direction controls' });

/** An owner's request: the slug typed to confirm (checked by assertSlugConfirmed) and an optional reason. */
export const deletionRequestSchema = confirmSlugSchema.extend({
  reason: text()
    .optional()
    .transform((v) => v || null),
});

/** A super admin's decline: the note the owner who asked is told. */
export const declineSchema = z.object({
  note: z
    .string({ error: 'is required: say why the workspace is kept' })
    .pipe(text())
    .refine(showsSomething, { error: 'is required: say why the workspace is kept' }),
});
