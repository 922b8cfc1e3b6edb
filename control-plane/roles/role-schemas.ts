import { msg } from '../../core/i18n/message';
import { z } from 'zod';
import { hasNoDirectionControls, ONE_LINE_TEXT, showsSomething } from '../../core/text/visible-text';
import { numericIdField } from '../../core/http/url-id';
import { ALL_PERMISSIONS, isPermission } from '../../tenant-runtime/permission-catalogue';

const ROLE_ID_MESSAGE = msg('must be one of the roles offered');

/** A role id from a form: a positive integer; which tenant it belongs to is checked by the command. */
export const roleIdSchema = z.preprocess((v) => (v === '' ? undefined : v), numericIdField(ROLE_ID_MESSAGE));

/** Same, but empty means "none". */
export const optionalRoleIdSchema = z.preprocess((v) => (v === '' || v === undefined || v === null ? null : v), roleIdSchema.nullable());

/**
 * A role id in a REST API body (a member's role, an invitation's, a role's parent, a deleted role's
 * replacement): the shapes the forms take, a whole number or its digits as text ("12"), read to the
 * number; anything else (1.5, 1e20, true, "abc") is a 400 naming the field, in the same words for each.
 */
export const apiRoleIdField = numericIdField('must be a role id (a whole number)');

/** Same where null means none (a role's parent, a deleted role's replacement). */
export const apiOptionalRoleIdField = numericIdField('must be a role id (a whole number), or null for none').nullable();

/** Checkboxes arrive as nothing, one string or a list of strings. */
const permissionListSchema = z.preprocess(
  (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
  z
    .array(z.string({ error: msg('must be permission names') }), { error: msg('must be permission names') })
    .max(ALL_PERMISSIONS.length * 2, { error: msg('has too many entries') })
    .refine((list) => list.every(isPermission), { error: msg('contains an unknown permission') })
    .transform((list) => [...new Set(list)]),
);

export const roleInputSchema = z.object({
  name: z
    .string({ error: msg('is required') })
    .trim()
    .max(100, { error: msg('must be at most 100 characters') })
    .regex(ONE_LINE_TEXT, { error: msg('must not contain control characters') })
    .refine(showsSomething, { error: msg('is required') })
    .refine(hasNoDirectionControls, { error: msg('must not contain text-direction controls') }),
  description: z
    .string({ error: msg('must be text') })
    .trim()
    .max(500, { error: msg('must be at most 500 characters') })
    .default(''),
  parent_role_id: optionalRoleIdSchema,
  permissions: permissionListSchema,
});

export const roleDeleteSchema = z.object({ replacement_role_id: optionalRoleIdSchema });
