import { msg } from '../../core/i18n/message';
import { z } from 'zod';
import { NotFoundError, ValidationError } from '../../core/errors/app-errors';
import { parseInput } from '../../core/http/parse-input';
import { hashPassword } from '../auth/password-hasher';
import type { ControlPlane } from '../control-plane';
import type { UserRecord } from './user-record';
import { emailSchema, nameSchema, passwordSchema } from './password-rules';

export const newUserSchema = z.object({ email: emailSchema, name: nameSchema, password: passwordSchema });

export interface CreateUserOptions {
  isSuperAdmin: boolean;
  /** First run: refused (NotFoundError, as a setup link once used) when any user exists by the time it is written. */
  onlyAsFirstUser?: boolean;
}

/**
 * Creates a user after checking every field; nothing is written when a field is wrong. The
 * checks run again with the insert, under the write lock: two requests that both passed them
 * while their passwords were hashed get one user and one clear refusal, never a duplicate.
 */
export async function createUser(platform: Pick<ControlPlane, 'users' | 'db'>, input: unknown, options: CreateUserOptions): Promise<UserRecord> {
  const { email, name, password } = parseInput(newUserSchema, input);
  const refusal = () => {
    if (options.onlyAsFirstUser && platform.users.count() > 0) return new NotFoundError();
    if (platform.users.findByEmail(email)) return ValidationError.single('email', msg('is already registered'));
    return undefined;
  };
  const early = refusal();
  if (early) throw early;
  const passwordHash = await hashPassword(password);
  return platform.db.write(() => {
    const late = refusal();
    if (late) throw late;
    return platform.users.insert({ email, name, passwordHash, isSuperAdmin: options.isSuperAdmin });
  });
}
