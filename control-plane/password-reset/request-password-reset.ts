import type { Language } from '../../core/i18n/languages';
import { translatorFor } from '../../core/i18n/translator';
import { toSessionUser } from '../users/user-record';
import type { ControlPlane } from '../control-plane';
import type { Client } from '../../core/http/client-of';
import { newInvitationToken } from '../invitations/invitation-token';
import { PasswordResetRepository } from './password-reset-repository';

export interface ResetRequestResult {
  /** Whether a link was made and mailed (false for an unknown or disabled address). */
  sent: boolean;
}

/**
 * Mails a single-use password reset link to an active account's address. The link carries 256
 * random bits; only their SHA-256 is stored (the same scheme as invitation links), and any
 * older unused link of the user stops working. An unknown or disabled address gets nothing, and
 * the caller answers both the same way (it runs this after answering). The mail is in the
 * account's own language, else `language`: the one the page that asked for it was shown in.
 */
export async function requestPasswordReset(platform: ControlPlane, email: string, client: Client, language: Language): Promise<ResetRequestResult> {
  const user = platform.users.findByEmail(email);
  if (!user || user.status !== 'active') return { sent: false };
  const { token, hash } = newInvitationToken();
  const now = Date.now();
  const expiresAt = now + platform.config.passwordResetMinutes * 60_000;
  const resets = new PasswordResetRepository(platform.db);
  platform.db.write(() => {
    resets.spendAllOfUser(user.id);
    resets.insert({ user_id: user.id, token_hash: hash, created_at: now, expires_at: expiresAt });
    platform.audit.record({
      action: 'account.password_reset_request',
      actorUserId: null,
      targetType: 'user',
      targetId: user.id,
      after: { expiresAt: new Date(expiresAt).toISOString() },
      ...client,
    });
  });
  const url = `${platform.config.baseUrl}/password/reset/${token}`;
  const t = translatorFor(toSessionUser(user).language ?? language);
  await platform.mailer.send({
    to: user.email,
    subject: t('Reset your password'),
    about: { kind: 'password-reset', userId: user.id },
    text: [
      t('Someone (hopefully you) asked to reset the password of {{email}}.', { email: user.email }),
      '',
      t('Choose a new password: {{url}}', { url }),
      '',
      t('The link works once and for {{count}} minutes. Every session of the account is signed out when the password changes.', {
        count: platform.config.passwordResetMinutes,
      }),
      t('If you did not ask for this, ignore this message: your password stays as it is.'),
    ].join('\n'),
  });
  return { sent: true };
}
