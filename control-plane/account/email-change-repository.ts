import type { PlatformDatabase } from '../db/platform-database';
import { MailedLinks, type MailedLinkRecord } from '../users/mailed-links';

export interface EmailChangeRecord extends MailedLinkRecord {
  /** The address asked for, normalised as users' addresses are stored. */
  new_email: string;
}

/** Requests to change an email address, each waiting for the link mailed to the new address. */
export class EmailChangeRepository extends MailedLinks<EmailChangeRecord> {
  constructor(db: PlatformDatabase) {
    super(db, 'email_changes');
  }
}
