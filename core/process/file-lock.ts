import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { makeDirectory } from '../fs/make-directory';

/**
 * A lock held by this process on a file: an exclusive SQLite transaction on a small lock
 * database. The operating system drops it when the process ends, however it ends (exit,
 * crash, SIGKILL), so a lock never outlives its holder the way a PID file does; another
 * process (or another connection in this one) finds it held. The transaction keeps its journal
 * in memory: nothing but the lock file is written, so a holder that exits without releasing
 * (a failed start, a kill) leaves no `-journal` beside it.
 */
export class FileLock {
  private constructor(
    readonly file: string,
    private readonly db: BetterSqlite3.Database,
  ) {}

  /** Takes the lock, or returns undefined at once when someone holds it. */
  static tryHold(file: string): FileLock | undefined {
    return FileLock.hold(file, 0);
  }

  /** Takes the lock, waiting up to `waitMs` for its holder; undefined when still held. */
  static hold(file: string, waitMs: number): FileLock | undefined {
    makeDirectory(path.dirname(file));
    const db = new BetterSqlite3(file, { timeout: waitMs });
    try {
      // Reads the file, so it waits (or is busy) like the BEGIN when someone holds the lock.
      db.pragma('journal_mode = MEMORY');
      db.exec('BEGIN EXCLUSIVE');
      return new FileLock(file, db);
    } catch (error) {
      db.close();
      if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) return undefined;
      throw error;
    }
  }

  /** Whether someone holds the lock now (taking it for an instant to find out). */
  static isHeld(file: string): boolean {
    if (!fs.existsSync(file)) return false;
    const probe = FileLock.tryHold(file);
    probe?.release();
    return !probe;
  }

  get held(): boolean {
    return this.db.open;
  }

  /** Lets go; with `remove`, deletes the lock file first (while still holding it). */
  release(options: { remove?: boolean } = {}): void {
    if (!this.db.open) return;
    if (options.remove) {
      fs.rmSync(this.file, { force: true });
      fs.rmSync(`${this.file}-journal`, { force: true });
    }
    try {
      this.db.exec('ROLLBACK');
    } finally {
      this.db.close();
    }
  }
}
