import { msg } from '../../core/i18n/message';
import { z } from 'zod';
import type { ControlPlane } from '../control-plane';
import { AppError, NotFoundError } from '../../core/errors/app-errors';
import { parseInput } from '../../core/http/parse-input';
import type { Client } from '../../core/http/client-of';
import { hashPassword } from '../auth/password-hasher';
import { passwordSchema } from '../users/password-rules';
import type { SessionRows } from '../users/change-user-status';
import { PasswordResetRepository, type PasswordResetRecord } from './password-reset-repository';
import { spendMailedLinks } from '../users/mailed-links';

/** A reset link that was real but can no longer be used (used, replaced, expired, or its account disabled). */
export class ResetLinkUnusableError extends AppError {
  constructor() {
    super(msg('This password reset link has expired or was already used. Ask for a new one.'), 'reset_link_unusable', 410);
  }
}

export const newPasswordSchema = z
  .object({ password: passwordSchema, password_confirm: z.string({ error: msg('is required') }) })
  .refine((v) => v.password === v.password_confirm, { path: ['password_confirm'], error: msg('must match the new password') });

/** The link's record while it can still be used; changes nothing. */
export function openResetLink(platform: ControlPlane, token: unknown): PasswordResetRecord {
  const resets = new PasswordResetRepository(platform.db);
  const reset = resets.findByToken(token);
  if (!reset) throw new NotFoundError(msg('This password reset link is not valid.'));
  const user = platform.users.findById(reset.user_id);
  if (!resets.isLive(reset) || !user || user.status !== 'active') throw new ResetLinkUnusableError();
  return reset;
}

/**
 * Sets the new password through a reset link: the link is spent (the flip is the single-use
 * guard), every other link mailed to the user too (a pending change of address included), and every session of the user ends, all in one
 * transaction with the audit record.
 */
export async function resetPassword(platform: ControlPlane, sessions: SessionRows, token: unknown, input: unknown, client: Client): Promise<{ email: string }> {
  const reset = openResetLink(platform, token);
  const { password } = parseInput(newPasswordSchema, input);
  const passwordHash = await hashPassword(password);
  const resets = new PasswordResetRepository(platform.db);
  return platform.db.write(() => {
    const user = platform.users.findById(reset.user_id);
    if (!user || user.status !== 'active' || !resets.spend(reset.id)) throw new ResetLinkUnusableError();
    spendMailedLinks(platform.db, user.id);
    platform.users.update(user.id, { password_hash: passwordHash });
    const sessionsEnded = sessions.destroyAllForUser(user.id);
    platform.audit.record({
      action: 'account.password_reset',
      actorUserId: user.id,
      targetType: 'user',
      targetId: user.id,
      after: { sessionsEnded },
      ...client,
    });
    return { email: user.email };
  });
}
