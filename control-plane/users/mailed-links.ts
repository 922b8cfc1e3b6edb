import type { PlatformDatabase } from '../db/platform-database';
import { hashInvitationToken, TOKEN_PATTERN } from '../invitations/invitation-token';

/** A single-use link mailed to a user: only the SHA-256 of its token is stored. */
export interface MailedLinkRecord {
  id: number;
  user_id: string;
  token_hash: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

/** The tables that hold such links, each with these columns and perhaps more. */
const MAILED_LINK_TABLES = ['password_resets', 'email_changes'] as const;
export type MailedLinkTable = (typeof MAILED_LINK_TABLES)[number];

/**
 * Links mailed to a user that act on their account once (a password reset, an email change), by
 * the SHA-256 of their token; a link is spent once used or replaced. One table per kind of link,
 * the same rules for all.
 */
export class MailedLinks<R extends MailedLinkRecord> {
  constructor(
    protected readonly db: PlatformDatabase,
    private readonly table: MailedLinkTable,
  ) {}

  findByTokenHash(hash: string): R | undefined {
    return this.db.get<R>(`select * from ${this.table} where token_hash = ?`, [hash]);
  }

  /** The link behind a token as a URL carries it; undefined for a malformed or unknown token. */
  findByToken(token: unknown): R | undefined {
    if (typeof token !== 'string' || !TOKEN_PATTERN.test(token)) return undefined;
    return this.findByTokenHash(hashInvitationToken(token));
  }

  /** Whether a link may still be used: not spent, not expired. */
  isLive(link: MailedLinkRecord, now = Date.now()): boolean {
    return link.used_at === null && link.expires_at > now;
  }

  insert(row: Omit<R, 'id' | 'used_at'>): number {
    const columns = Object.keys(row) as Array<keyof typeof row>;
    return Number(
      this.db.run(
        `insert into ${this.table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`,
        columns.map((c) => row[c] as string | number),
      ).lastInsertRowid,
    );
  }

  /** The user's links that may still be used, newest first. */
  liveOfUser(userId: string, now = Date.now()): R[] {
    return this.db.all<R>(`select * from ${this.table} where user_id = ? and used_at is null and expires_at > ? order by id desc`, [userId, now]);
  }

  /** Spends every unused link of the user (a newer link replaces them; a change to the account spends them all). */
  spendAllOfUser(userId: string): number {
    return this.db.run(`update ${this.table} set used_at = ? where user_id = ? and used_at is null`, [Date.now(), userId]).changes;
  }

  /** Spends one link if it is still unused and unexpired; false otherwise (replay, race, expiry). */
  spend(id: number, now = Date.now()): boolean {
    return this.db.run(`update ${this.table} set used_at = ? where id = ? and used_at is null and expires_at > ?`, [now, id, now]).changes === 1;
  }

  /** Links gone for good (expired or used more than a day ago) are removed. */
  prune(now = Date.now()): number {
    return this.db.run(`delete from ${this.table} where expires_at < ? or used_at < ?`, [now - 24 * 3600_000, now - 24 * 3600_000]).changes;
  }
}

/**
 * Spends every unused link of every kind mailed to the user: a change that secures the account (a
 * new password, a new address, the account disabled) leaves no link in a mailbox that acts on it.
 * Call it inside the write transaction of that change.
 */
export function spendMailedLinks(db: PlatformDatabase, userId: string): void {
  for (const table of MAILED_LINK_TABLES) new MailedLinks(db, table).spendAllOfUser(userId);
}

/** Removes every kind of link gone for good (expired, or used, more than a day ago); how many went. */
export function pruneMailedLinks(db: PlatformDatabase, now = Date.now()): number {
  return MAILED_LINK_TABLES.reduce((removed, table) => removed + new MailedLinks(db, table).prune(now), 0);
}
