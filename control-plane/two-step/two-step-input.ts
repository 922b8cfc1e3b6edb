import { z } from 'zod';
import { msg } from '../../core/i18n/message';
import { PASSWORD_MAX } from '../auth/password-hasher';

/** The current password, as every form that changes two-step sign-in asks for it. */
const currentPassword = z
  .string({ error: msg('is required') })
  .min(1, { error: msg('is required') })
  .max(PASSWORD_MAX + 1);

/** A code from the app or a recovery code, as typed (a recovery code is 10 letters and digits, with a dash or not). */
export const codeField = z
  .string({ error: msg('is required') })
  .trim()
  .min(1, { error: msg('is required') })
  .max(40, { error: msg('must be at most {{count}} characters', { count: 40 }) });

/** The account page's two-step forms: their own field names, beside the password form's on the same page. */
export const passwordAndCodeSchema = z.object({ two_step_password: currentPassword, two_step_code: codeField });

export const signInCodeSchema = z.object({ code: codeField });
