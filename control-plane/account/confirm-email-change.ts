import { msg } from '../../core/i18n/message';
import type { ControlPlane } from '../control-plane';
import { AppError, ConflictError, NotFoundError } from '../../core/errors/app-errors';
import type { Client } from '../../core/http/client-of';
import { spendMailedLinks } from '../users/mailed-links';
import { EmailChangeRepository, type EmailChangeRecord } from './email-change-repository';

/** A link to confirm an address that was real but can no longer be used (used, replaced, expired, or its account disabled). */
export class EmailChangeLinkUnusableError extends AppError {
  constructor() {
    super(
      msg('This link to confirm an email address has expired or was already used. Ask for a new one on your account page.'),
      'email_change_link_unusable',
      410,
    );
  }
}

/** The address was taken by another account since the change was asked for: nothing changed. */
export class EmailTakenError extends ConflictError {
  constructor(email: string) {
    super(
      msg('{{email}} is now the address of another account, so yours was not changed. Ask for a change to another address on your account page.', { email }),
    );
  }
}

const notValid = () => new NotFoundError(msg('This link to confirm an email address is not valid.'));

/**
 * The request behind a link while it can still be used; changes nothing. Someone signed in to
 * another account is told the link is not valid: only the account's owner, or someone signed out
 * who holds the link, sees or confirms it.
 */
export function openEmailChange(platform: ControlPlane, token: unknown, viewerId: string | undefined): EmailChangeRecord {
  const changes = new EmailChangeRepository(platform.db);
  const change = changes.findByToken(token);
  if (!change || (viewerId !== undefined && viewerId !== change.user_id)) throw notValid();
  const user = platform.users.findById(change.user_id);
  if (!changes.isLive(change) || user?.status !== 'active') throw new EmailChangeLinkUnusableError();
  return change;
}

/**
 * Makes the address asked for the account's, through the link mailed to it, in one transaction:
 * the link is spent (the flip is the single-use guard), the address checked free under the lock
 * (compared as sign-in compares it), every other link mailed to the account spent (a reset link
 * in the old mailbox must not outlive the change), and the change recorded with both addresses.
 * A refusal rolls all of it back. Sessions stay (decision 059).
 */
export function confirmEmailChange(
  platform: ControlPlane,
  token: unknown,
  viewerId: string | undefined,
  client: Client,
): { userId: string; oldEmail: string; newEmail: string } {
  const change = openEmailChange(platform, token, viewerId);
  const changes = new EmailChangeRepository(platform.db);
  return platform.db.write(() => {
    const user = platform.users.findById(change.user_id);
    if (user?.status !== 'active' || !changes.spend(change.id)) throw new EmailChangeLinkUnusableError();
    if (platform.users.findByEmail(change.new_email)) throw new EmailTakenError(change.new_email);
    platform.users.changeEmail(user.id, change.new_email);
    spendMailedLinks(platform.db, user.id);
    platform.audit.record({
      action: 'account.email_change',
      actorUserId: user.id,
      targetType: 'user',
      targetId: user.id,
      before: { email: user.email },
      after: { email: change.new_email },
      ...client,
    });
    return { userId: user.id, oldEmail: user.email, newEmail: change.new_email };
  });
}
