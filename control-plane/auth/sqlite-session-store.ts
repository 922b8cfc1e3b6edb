import session from 'express-session';
import type { PlatformDb } from '../db/open-platform-db';

interface StoredSession extends session.SessionData {
  passport?: { user?: string };
  client?: { userAgent?: string; ip?: string };
}

export interface ActiveSessionRow {
  sid: string;
  user_agent: string | null;
  ip: string | null;
  created_at: number;
  last_seen_at: number;
}

/**
 * express-session store on the control plane's `sessions` table, so sessions survive a
 * restart and can be listed and revoked per user. Prepared statements: it runs on every request.
 */
export class SqliteSessionStore extends session.Store {
  private readonly select;
  private readonly upsert;
  private readonly remove;
  private readonly touchRow;
  /** express-session touches on every request; the row is written at most once a minute per session. */
  private readonly lastTouch = new Map<string, number>();

  constructor(private readonly db: PlatformDb) {
    super();
    this.select = db.prepare('select data, expires_at from sessions where sid = ?');
    this.upsert = db.prepare(
      `insert into sessions (sid, user_id, data, expires_at, user_agent, ip, created_at, last_seen_at)
       values (@sid, @user_id, @data, @expires_at, @user_agent, @ip, @now, @now)
       on conflict(sid) do update set user_id = excluded.user_id, data = excluded.data, expires_at = excluded.expires_at,
         user_agent = excluded.user_agent, ip = excluded.ip, last_seen_at = excluded.last_seen_at`,
    );
    this.remove = db.prepare('delete from sessions where sid = ?');
    this.touchRow = db.prepare('update sessions set expires_at = ?, last_seen_at = ? where sid = ?');
  }

  get(sid: string, callback: (err: unknown, session?: session.SessionData | null) => void): void {
    try {
      const row = this.select.get(sid) as { data: string; expires_at: number } | undefined;
      if (!row) return callback(null, null);
      if (row.expires_at <= Date.now()) {
        this.remove.run(sid);
        return callback(null, null);
      }
      callback(null, JSON.parse(row.data) as session.SessionData);
    } catch (error) {
      callback(error);
    }
  }

  set(sid: string, data: session.SessionData, callback?: (err?: unknown) => void): void {
    try {
      const stored = data as StoredSession;
      this.upsert.run({
        sid,
        user_id: stored.passport?.user ?? null,
        data: JSON.stringify(data),
        expires_at: expiryOf(data),
        user_agent: stored.client?.userAgent?.slice(0, 500) ?? null,
        ip: stored.client?.ip ?? null,
        now: Date.now(),
      });
      callback?.();
    } catch (error) {
      callback?.(error);
    }
  }

  touch(sid: string, data: session.SessionData, callback?: (err?: unknown) => void): void {
    try {
      const now = Date.now();
      if (now - (this.lastTouch.get(sid) ?? 0) < TOUCH_INTERVAL_MS) return callback?.();
      if (this.lastTouch.size > 100_000) this.lastTouch.clear();
      this.lastTouch.set(sid, now);
      this.touchRow.run(expiryOf(data), now, sid);
      callback?.();
    } catch (error) {
      callback?.(error);
    }
  }

  destroy(sid: string, callback?: (err?: unknown) => void): void {
    try {
      this.lastTouch.delete(sid);
      this.remove.run(sid);
      callback?.();
    } catch (error) {
      callback?.(error);
    }
  }

  /** Signed-in sessions of a user, newest first (for the account page). */
  listForUser(userId: string): ActiveSessionRow[] {
    return this.db.raw
      .prepare('select sid, user_agent, ip, created_at, last_seen_at from sessions where user_id = ? and expires_at > ? order by last_seen_at desc')
      .all(userId, Date.now()) as ActiveSessionRow[];
  }

  /** Ends every session of a user but the one given (password change, role change). */
  destroyAllForUser(userId: string, exceptSid?: string): number {
    return this.db.prepare('delete from sessions where user_id = ? and sid <> ?').run(userId, exceptSid ?? '').changes;
  }

  pruneExpired(): number {
    return this.db.prepare('delete from sessions where expires_at <= ?').run(Date.now()).changes;
  }
}

const TOUCH_INTERVAL_MS = 60_000;

function expiryOf(data: session.SessionData): number {
  const expires = data.cookie?.expires;
  return expires ? new Date(expires).getTime() : Date.now() + 24 * 3600 * 1000;
}
