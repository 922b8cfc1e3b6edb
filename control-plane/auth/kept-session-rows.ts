import { growingLru } from '../../core/cache/growing-lru';
import type { PlatformDatabase } from '../db/platform-database';
import type { SessionWithUser } from './session-with-user';

/** How many sessions' rows are kept between requests (about one per active browser; a few MB at most). */
const KEPT_ROWS = 10_000;

interface Kept {
  row: SessionWithUser;
  /** The control plane's data_version when the row was read. */
  dataVersion: number;
}

/**
 * Session rows (each joined with its user) kept between requests, exact at every read
 * (docs/decisions/041):
 * - a write by this connection to a session or a user, whatever code makes it, drops the rows it
 *   touches at once: temporary triggers on `sessions` and `users` (temporary triggers fire for
 *   this connection's statements only, and are part of no file) call back into this process;
 * - a commit by any other connection, in this process or another (the command line), moves the
 *   control plane's `data_version`, and a row read before it is not answered again;
 * - a row read inside a transaction is not kept: the transaction may yet roll back.
 * One per control-plane connection, whatever number of repositories use it, made by the first of
 * them: after the control plane's migrations (a missing table fails the triggers loudly).
 */
export class KeptSessionRows {
  /** The kept sessions of each user: a change of a user drops theirs without a walk over every row. */
  private readonly sidsOfUser = new Map<string, Set<string>>();
  private readonly rows = growingLru<string, Kept>(KEPT_ROWS, {
    // Whenever a row leaves (dropped, replaced, evicted), so does its place in the user's set.
    dispose: (kept, sid) => {
      const sids = this.sidsOfUser.get(kept.row.user_id);
      sids?.delete(sid);
      if (sids?.size === 0) this.sidsOfUser.delete(kept.row.user_id);
    },
  });

  constructor(private readonly db: PlatformDatabase) {
    const connection = db.connection();
    connection.function('tenantry_session_changed', (sid: unknown) => {
      if (typeof sid === 'string') this.rows.delete(sid);
      return null;
    });
    connection.function('tenantry_user_changed', (userId: unknown) => {
      if (typeof userId === 'string') for (const sid of [...(this.sidsOfUser.get(userId) ?? [])]) this.rows.delete(sid);
      return null;
    });
    connection.exec(`
      create temp trigger if not exists kept_session_inserted after insert on main.sessions
        begin select tenantry_session_changed(new.sid); end;
      create temp trigger if not exists kept_session_updated after update on main.sessions
        begin select tenantry_session_changed(old.sid); select tenantry_session_changed(new.sid); end;
      create temp trigger if not exists kept_session_deleted after delete on main.sessions
        begin select tenantry_session_changed(old.sid); end;
      create temp trigger if not exists kept_user_updated after update on main.users
        begin select tenantry_user_changed(old.id); select tenantry_user_changed(new.id); end;
      create temp trigger if not exists kept_user_deleted after delete on main.users
        begin select tenantry_user_changed(old.id); end;
    `);
  }

  /** The row of `sid` as `read` returns it, answered from the last read while nothing changed it. */
  find(sid: string, read: (sid: string) => SessionWithUser | undefined): SessionWithUser | undefined {
    const dataVersion = this.db.dataVersion();
    const kept = this.rows.get(sid);
    if (kept && kept.dataVersion === dataVersion) return kept.row;
    const row = read(sid);
    if (row && !this.db.inTransaction) this.keep(sid, row, dataVersion);
    else this.rows.delete(sid);
    return row;
  }

  private keep(sid: string, row: SessionWithUser, dataVersion: number): void {
    this.rows.set(sid, { row: Object.freeze(row), dataVersion });
    let sids = this.sidsOfUser.get(row.user_id);
    if (!sids) this.sidsOfUser.set(row.user_id, (sids = new Set()));
    sids.add(sid);
  }
}

const perConnection = new WeakMap<PlatformDatabase, KeptSessionRows>();

/** The kept rows of a control-plane connection (made, with its triggers, on first use). */
export function keptSessionRowsOf(db: PlatformDatabase): KeptSessionRows {
  let kept = perConnection.get(db);
  if (!kept) {
    kept = new KeptSessionRows(db);
    perConnection.set(db, kept);
  }
  return kept;
}
