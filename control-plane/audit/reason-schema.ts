import { z } from 'zod';
import { ONE_LINE_TEXT } from '../../core/text/visible-text';
import { hasNoDirectionControls, showsSomething } from '../../core/text/visible-text';

/** Why a super admin steps into a tenant or acts as a user: required, kept in the audit trail. */
export const reasonSchema = z
  .string({ error: 'is required: say why (a ticket number, what the client asked)' })
  .trim()
  .max(500, { error: 'must be at most 500 characters' })
  .regex(ONE_LINE_TEXT, { error: 'must not contain control characters' })
  .refine(showsSomething, { error: 'is required: say why (a ticket number, what the client asked)' })
  .refine(hasNoDirectionControls, { error: 'must not contain text-direction controls' });
