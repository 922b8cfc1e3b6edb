import { msg } from '../../core/i18n/message';
import { z } from 'zod';
import type { ControlPlane } from '../control-plane';
import { ValidationError } from '../../core/errors/app-errors';
import { parseInput } from '../../core/http/parse-input';
import { hashPassword, verifyPassword, PASSWORD_MAX } from '../auth/password-hasher';
import { passwordSchema } from '../users/password-rules';
import type { SessionRepository } from '../auth/session-repository';
import { spendMailedLinks } from '../users/mailed-links';
import type { Client as AuditClient } from '../../core/http/client-of';

export const changePasswordSchema = z
  .object({
    current_password: z
      .string({ error: msg('is required') })
      .min(1, { error: msg('is required') })
      .max(PASSWORD_MAX + 1),
    new_password: passwordSchema,
    new_password_confirm: z.string({ error: msg('is required') }),
  })
  .refine((v) => v.new_password === v.new_password_confirm, { path: ['new_password_confirm'], error: msg('must match the new password') })
  .refine((v) => v.new_password !== v.current_password, { path: ['new_password'], error: msg('must differ from the current password') });

/**
 * Changes the password after checking the current one, then ends every other session of the
 * user (a stolen session does not outlive the change) and spends every unused link mailed to the
 * user (a password reset, a change of address); the session making the change stays. The write
 * takes the lock and checks that the password is still the one verified: of two changes sent at
 * once, the second is refused, not silently lost.
 */
export async function changePassword(
  platform: ControlPlane,
  sessions: SessionRepository,
  as: { userId: string; sid: string },
  input: unknown,
  client: AuditClient,
): Promise<{ revoked: number }> {
  const { current_password, new_password } = parseInput(changePasswordSchema, input);
  const user = platform.users.findById(as.userId);
  if (!user || !(await verifyPassword(user.password_hash, current_password))) {
    platform.audit.record({ action: 'account.password_change_failed', actorUserId: as.userId, targetType: 'user', targetId: as.userId, ...client });
    throw ValidationError.single('current_password', msg('is not your current password'));
  }
  const passwordHash = await hashPassword(new_password);
  const revoked = platform.db.write(() => {
    if (platform.users.findById(user.id)?.password_hash !== user.password_hash)
      throw ValidationError.single('current_password', msg('is not your current password: it was changed meanwhile'));
    platform.users.update(user.id, { password_hash: passwordHash });
    spendMailedLinks(platform.db, user.id);
    const ended = sessions.destroyAllForUser(user.id, as.sid);
    platform.audit.record({
      action: 'account.password_change',
      actorUserId: user.id,
      targetType: 'user',
      targetId: user.id,
      after: { otherSessionsRevoked: ended },
      ...client,
    });
    return ended;
  });
  return { revoked };
}
