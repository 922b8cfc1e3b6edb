import { msg } from '../../core/i18n/message';
import { z } from 'zod';

export const SECRET_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
export const SECRET_VALUE_MAX = 4096;
const NAME_RULE = msg('must start with a letter and use at most 64 letters, digits, _ . or -');

export const secretNameSchema = z.string().regex(SECRET_NAME_PATTERN, { error: NAME_RULE });

/** Adding or replacing a secret. Field names carry the "secret_" prefix: the settings page holds several forms. */
export const secretInputSchema = z.object({
  secret_name: z
    .string()
    .trim()
    .default('')
    .pipe(
      z
        .string()
        .min(1, { error: msg('is required') })
        .regex(SECRET_NAME_PATTERN, { error: NAME_RULE }),
    ),
  secret_value: z
    .string()
    .default('')
    // Pasted keys often carry a trailing newline or spaces; no key has them on purpose.
    .transform((v) => v.trim())
    .pipe(
      z
        .string()
        .min(1, { error: msg('is required') })
        .max(SECRET_VALUE_MAX, { error: msg('must be at most {{count}} characters', { count: SECRET_VALUE_MAX }) })
        // eslint-disable-next-line no-control-regex
        .regex(/^[^\u0000-\u001f\u007f-\u009f\u2028\u2029]*$/, { error: msg('must be on one line, without control characters') }),
    ),
});
