import { msg } from '../../core/i18n/message';
import { z } from 'zod';
import type { ControlPlane } from '../control-plane';
import { AppError, ValidationError } from '../../core/errors/app-errors';
import { parseInput } from '../../core/http/parse-input';
import type { Client } from '../../core/http/client-of';
import type { Language } from '../../core/i18n/languages';
import { isLanguage } from '../../core/i18n/languages';
import { verifyPassword, PASSWORD_MAX } from '../auth/password-hasher';
import { emailSchema } from '../users/password-rules';
import type { UserRecord } from '../users/user-record';
import { newInvitationToken } from '../invitations/invitation-token';
import { EmailChangeRepository } from './email-change-repository';
import { mailEmailChangeLink, mailEmailChangeNotice } from './email-change-mail';

/** How long a link to confirm a new address works. */
export const EMAIL_CHANGE_HOURS = 24;

export const emailChangeSchema = z.object({
  new_email: emailSchema,
  password: z
    .string({ error: msg('is required') })
    .min(1, { error: msg('is required') })
    .max(PASSWORD_MAX + 1),
});

/** A mail of the change could not be sent: the request was withdrawn, nothing will change. */
export class EmailChangeNotMailedError extends AppError {
  constructor(cause: unknown) {
    super(
      msg('The mail about this change could not be sent, so the request was withdrawn and your address stays as it is. Try again later.'),
      'email_change_not_mailed',
      503,
      {},
      { cause },
    );
  }
}

/** Why the address asked for cannot be the account's; undefined when it can. */
function whyRefused(platform: ControlPlane, user: UserRecord, email: string): ValidationError | undefined {
  if (email === user.email) return ValidationError.single('new_email', msg('is already your email address'));
  if (platform.users.findByEmail(email)) return ValidationError.single('new_email', msg('is already registered'));
  return undefined;
}

/**
 * Asks to change the signed-in person's address, after checking their password: the address does
 * not change yet. A link (256 random bits; only their SHA-256 is stored, as for password resets)
 * goes to the new address, and a notice to the current one; an older request of the person stops
 * working. The mails are in the person's own language, else `language` (the page's). A mail that
 * cannot be sent withdraws the request (decision 059).
 */
export async function requestEmailChange(
  platform: ControlPlane,
  userId: string,
  input: unknown,
  client: Client,
  language: Language,
): Promise<{ newEmail: string; expiresAt: number }> {
  const { new_email: newEmail, password } = parseInput(emailChangeSchema, input);
  const user = platform.users.findById(userId);
  if (!user || !(await verifyPassword(user.password_hash, password))) {
    platform.audit.record({ action: 'account.email_change_failed', actorUserId: userId, targetType: 'user', targetId: userId, ...client });
    throw ValidationError.single('password', msg('is not your current password'));
  }
  const early = whyRefused(platform, user, newEmail);
  if (early) throw early;
  const { token, hash } = newInvitationToken();
  const now = Date.now();
  const expiresAt = now + EMAIL_CHANGE_HOURS * 3600_000;
  const changes = new EmailChangeRepository(platform.db);
  // Read again under the lock: an address taken, or the account's own changed, while the password was checked.
  const { id, oldEmail } = platform.db.write(() => {
    const current = platform.users.findById(user.id);
    if (!current || current.status !== 'active') throw ValidationError.single('password', msg('is not your current password'));
    const refused = whyRefused(platform, current, newEmail);
    if (refused) throw refused;
    changes.spendAllOfUser(user.id);
    const inserted = changes.insert({ user_id: user.id, new_email: newEmail, token_hash: hash, created_at: now, expires_at: expiresAt });
    platform.audit.record({
      action: 'account.email_change_request',
      actorUserId: user.id,
      targetType: 'user',
      targetId: user.id,
      before: { email: current.email },
      after: { email: newEmail, expiresAt: new Date(expiresAt).toISOString() },
      ...client,
    });
    return { id: inserted, oldEmail: current.email };
  });
  const mail = {
    userId: user.id,
    oldEmail,
    newEmail,
    url: `${platform.config.baseUrl}/email/confirm/${token}`,
    hours: EMAIL_CHANGE_HOURS,
    language: isLanguage(user.language) ? user.language : language,
  };
  try {
    // The current address hears of it first: no link goes out unless its owner is told.
    await mailEmailChangeNotice(platform, mail);
    await mailEmailChangeLink(platform, mail);
  } catch (err) {
    // The error handler logs the cause (a send error names no address).
    platform.db.write(() => changes.spend(id));
    throw new EmailChangeNotMailedError(err);
  }
  return { newEmail, expiresAt };
}
