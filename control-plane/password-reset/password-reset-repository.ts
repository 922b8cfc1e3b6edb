import type { PlatformDatabase } from '../db/platform-database';
import { MailedLinks, type MailedLinkRecord } from '../users/mailed-links';

export type PasswordResetRecord = MailedLinkRecord;

/** Password reset links, by the SHA-256 of their token; a link is spent once used or replaced. */
export class PasswordResetRepository extends MailedLinks<PasswordResetRecord> {
  constructor(db: PlatformDatabase) {
    super(db, 'password_resets');
  }
}
