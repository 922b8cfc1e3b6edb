import { unlessDiskFull } from '../../core/errors/disk-full';
import type { SessionData } from '../../core/http/request-types';
import type { PlatformDatabase } from '../db/platform-database';
import { keptSessionRowsOf, type KeptSessionRows } from './kept-session-rows';
import type { SessionWithUser } from './session-with-user';

export interface ActiveSessionRow {
  sid: string;
  user_agent: string | null;
  ip: string | null;
  created_at: number;
  last_seen_at: number;
}

export interface NewSession {
  sid: string;
  userId: string;
  data: SessionData;
  expiresAt: number;
  userAgent: string | null;
  ip: string | null;
}

// A left join: a session whose user is gone is found, so that it can be ended.
const FIND = `select s.user_id, s.data, s.expires_at, s.last_seen_at, u.email, u.name, u.is_super_admin, u.status, u.language
              from sessions s left join users u on u.id = s.user_id where s.sid = ?`;
const INSERT = `insert into sessions (sid, user_id, data, expires_at, user_agent, ip, created_at, last_seen_at)
                values (@sid, @user_id, @data, @expires_at, @user_agent, @ip, @now, @now)`;
// Only ever an update: a session destroyed meanwhile (signed out, revoked) is not brought back.
const SAVE_DATA = 'update sessions set data = ? where sid = ?';
const TOUCH = 'update sessions set expires_at = ?, last_seen_at = ? where sid = ?';
const REMOVE = 'delete from sessions where sid = ?';

/**
 * The control plane's `sessions` table: one row per signed-in session, keyed by the hash of its
 * token (control-plane/auth/session-token.ts), listed and revoked per user. Visitors who are not
 * signed in have no row. Its statements are prepared once by the platform database.
 */
export class SessionRepository {
  private readonly kept: KeptSessionRows;
  /** The one statement, made once: find() runs on every signed-in request. */
  private readonly readRow: (sid: string) => SessionWithUser | undefined;

  constructor(private readonly db: PlatformDatabase) {
    this.kept = keptSessionRowsOf(db);
    this.readRow = (sid) => this.db.get<SessionWithUser>(FIND, [sid]);
  }

  /**
   * The session and its user (every signed-in request): the row read before while nothing has
   * changed it since (control-plane/auth/kept-session-rows.ts), else one statement.
   */
  find(sid: string): SessionWithUser | undefined {
    return this.kept.find(sid, this.readRow);
  }

  /** Stores a new session; the one it replaces (sign-in, a privilege change) is removed in the same transaction. */
  create(session: NewSession, replacing?: string): void {
    this.db.write(() => {
      this.insert(session);
      if (replacing) this.db.run(REMOVE, [replacing]);
    });
  }

  private insert(session: NewSession): void {
    this.db.run(INSERT, {
      sid: session.sid,
      user_id: session.userId,
      data: JSON.stringify(session.data),
      expires_at: session.expiresAt,
      user_agent: session.userAgent?.slice(0, 500) ?? null,
      ip: session.ip?.slice(0, 64) ?? null,
      now: Date.now(),
    });
  }

  /** What the session remembers changed (the current workspace, an impersonation). A full disk keeps the stored one. */
  saveData(sid: string, data: string): void {
    unlessDiskFull(() => void this.db.run(SAVE_DATA, [data, sid]));
  }

  /** Sliding expiry: the session was used. Renewing can wait for free space; the request goes on. */
  touch(sid: string, expiresAt: number, now: number): void {
    unlessDiskFull(() => void this.db.run(TOUCH, [expiresAt, now, sid]));
  }

  /** Where a session was signed in from, to carry it over to the session that replaces it. */
  clientOf(sid: string): { user_agent: string | null; ip: string | null } | undefined {
    return this.db.get('select user_agent, ip from sessions where sid = ?', [sid]);
  }

  destroy(sid: string): void {
    this.db.run(REMOVE, [sid]);
  }

  /** Signed-in sessions of a user, newest first (for the account page). */
  listForUser(userId: string): ActiveSessionRow[] {
    return this.db.all<ActiveSessionRow>(
      'select sid, user_agent, ip, created_at, last_seen_at from sessions where user_id = ? and expires_at > ? order by last_seen_at desc',
      [userId, Date.now()],
    );
  }

  /** Ends every session of a user but the one given (password change, role change). */
  destroyAllForUser(userId: string, exceptSid?: string): number {
    return this.db.run('delete from sessions where user_id = ? and sid <> ?', [userId, exceptSid ?? '']).changes;
  }

  pruneExpired(): number {
    return this.db.run('delete from sessions where expires_at <= ?', [Date.now()]).changes;
  }
}
