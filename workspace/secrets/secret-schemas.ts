import { msg } from '../../core/i18n/message';
import { z } from 'zod';
import { formText, jsonText } from '../../core/http/parse-input';

export const SECRET_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
export const SECRET_VALUE_MAX = 4096;
const NAME_RULE = msg('must start with a letter and use at most 64 letters, digits, _ . or -');

/** A secret's name and value read from `input` (a form's text, or the API's JSON string): the page and the API refuse the same values with the same reasons. */
function secretFields(input: () => z.ZodType<string, string | undefined>) {
  return {
    name: input()
      .transform((v) => v.trim())
      .pipe(
        z
          .string()
          .min(1, { error: msg('is required') })
          .regex(SECRET_NAME_PATTERN, { error: NAME_RULE }),
      ),
    value: input()
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
  };
}

const formFields = secretFields(formText);

/** Adding or replacing a secret. Field names carry the "secret_" prefix: the settings page holds several forms. */
export const secretInputSchema = z.object({ secret_name: formFields.name, secret_value: formFields.value });

const apiFields = secretFields(jsonText);

/** Adding or replacing a secret over the API: its name and value, nothing else. */
export const secretBodySchema = z.strictObject({
  name: apiFields.name.describe('Starts with a letter; at most 64 letters, digits, _ . or -. A secret of that name has its value replaced'),
  value: apiFields.value.describe(`At most ${SECRET_VALUE_MAX} characters on one line (spaces around it are dropped); never shown again`),
});
