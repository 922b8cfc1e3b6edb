import BetterSqlite3 from 'better-sqlite3';
import { fsyncFile } from '../core/fs/durable-files';
import { recordedTenantMigrations } from './tenant-migrator';

/**
 * A consistent copy of a tenant database that may be in use: `VACUUM INTO` on a read-only
 * connection copies one read snapshot (committed transactions only, the WAL included) into a
 * new, compact, self-contained file, while writers go on. Never a raw copy of a live WAL file.
 * The read-only connection cannot checkpoint, so the live file is left exactly as it was. The
 * copy is flushed to the disk before this returns.
 */
export function snapshotDatabase(source: string, target: string): void {
  const db = new BetterSqlite3(source, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    // VACUUM INTO writes the copy with the source connection's synchronous setting: off, since the
    // finished copy is flushed once below instead of page by page (2-3x faster, as durable).
    db.pragma('synchronous = OFF');
    db.prepare('VACUUM INTO ?').run(target);
  } finally {
    db.close();
  }
  fsyncFile(target);
}

export interface DatabaseCheck {
  /** 'ok', or what SQLite found wrong (the first few problems). */
  integrity: string;
  /** Migrations recorded in the file (empty when it could not be read). */
  migrations: string[];
}

/**
 * `PRAGMA integrity_check` on a closed copy (a backup, an import), opened read-only with
 * `trusted_schema = OFF` so nothing in its schema runs code of ours. A file that is not a
 * database reports the error instead of throwing.
 */
export function checkDatabaseFile(file: string): DatabaseCheck {
  let db: BetterSqlite3.Database | undefined;
  try {
    db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
    db.pragma('trusted_schema = OFF');
    const problems = (db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check);
    const integrity = problems.length === 1 && problems[0] === 'ok' ? 'ok' : problems.slice(0, 5).join('; ');
    return { integrity, migrations: integrity === 'ok' ? recordedTenantMigrations(db) : [] };
  } catch (error) {
    return { integrity: error instanceof Error ? error.message : String(error), migrations: [] };
  } finally {
    db?.close();
  }
}
