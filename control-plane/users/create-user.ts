import { msg } from '../../core/i18n/message';
import { z } from 'zod';
import { ValidationError } from '../../core/errors/app-errors';
import { parseInput } from '../../core/http/parse-input';
import { hashPassword } from '../auth/password-hasher';
import type { ControlPlane } from '../control-plane';
import type { UserRecord } from './user-record';
import { emailSchema, nameSchema, passwordSchema } from './password-rules';

export const newUserSchema = z.object({ email: emailSchema, name: nameSchema, password: passwordSchema });

/** Creates a user after checking every field; nothing is written when a field is wrong. */
export async function createUser(platform: Pick<ControlPlane, 'users'>, input: unknown, options: { isSuperAdmin: boolean }): Promise<UserRecord> {
  const { email, name, password } = parseInput(newUserSchema, input);
  if (platform.users.findByEmail(email)) throw ValidationError.single('email', msg('is already registered'));
  const passwordHash = await hashPassword(password);
  return platform.users.insert({ email, name, passwordHash, isSuperAdmin: options.isSuperAdmin });
}
