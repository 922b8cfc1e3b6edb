import { msg } from '../../core/i18n/message';
import { z } from 'zod';
import { hasNoDirectionControls, ONE_LINE_TEXT, showsSomething } from '../../core/text/visible-text';
import { normalisedPassword, PASSWORD_MAX, PASSWORD_MIN } from '../auth/password-hasher';

/**
 * A new password. Its length must do both as typed and as it is hashed and checked (NFKC):
 * letters typed as parts that join (e and a combining accent, conjoining jamo) would otherwise
 * make twelve characters of a password that signs in with four.
 */
export const passwordSchema = z
  .string({ error: msg('is required') })
  .refine((password) => password.length >= PASSWORD_MIN && normalisedPassword(password).length >= PASSWORD_MIN, {
    error: msg('must be at least {{count}} characters', { count: PASSWORD_MIN }),
  })
  .max(PASSWORD_MAX, { error: msg('must be at most {{count}} characters', { count: PASSWORD_MAX }) });

export const emailSchema = z
  .string({ error: msg('is required') })
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: msg('must be a valid email address') }).max(320));

export const nameSchema = z
  .string({ error: msg('is required') })
  .trim()
  .max(200, { error: msg('must be at most 200 characters') })
  .regex(ONE_LINE_TEXT, { error: msg('must not contain control characters') })
  .refine(showsSomething, { error: msg('is required') })
  .refine(hasNoDirectionControls, { error: msg('must not contain text-direction controls') });
