import fs from 'node:fs';
import type BetterSqlite3 from 'better-sqlite3';
import { TENANT_MIGRATION_TABLE } from './tenant-migrator';
import { ownerInHeader } from './tenant-file-owner';

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** How many first bytes of a file tell whether it is a SQLite database. */
export const SQLITE_HEADER_LENGTH = SQLITE_HEADER.length;

/** Whether these first bytes are SQLite's header. */
export function isSqliteHeader(head: Buffer): boolean {
  return head.subarray(0, SQLITE_HEADER.length).equals(SQLITE_HEADER);
}

/** What the operating system said, without the path: `EACCES: permission denied`. */
function refusal(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  return message?.split(',')[0] || code || String(error);
}

/**
 * Checks a tenant file without opening it as a database (so a damaged file is never written
 * to, not even a WAL file beside it): present, readable by this process, not empty, a SQLite
 * header, and not shorter than the size its header records. Returns what is wrong, or undefined.
 *
 * The header is read only when no `-wal` or `-shm` lies beside the file. Either of them means
 * SQLite has had the file open, and a connection may still hold it, maybe in this very process
 * (a backup on a worker thread, a maintenance step): closing a descriptor of our own on the file
 * would drop every POSIX lock the process holds on it, SQLite's included, and another process
 * could then take the file for unused (remove its WAL under a live connection, or swap it in a
 * restore). Such a file is left to SQLite's own checks at its first read (a file that is not a
 * database, or shorter than its header says, fails there: damaged all the same).
 */
/**
 * What a header read by inspectTenantFile says, when it read one (no -wal or -shm beside the
 * file, so the main file is the whole database): its migrations' stamp (`user_version`, offset
 * 60) and its owner (`application_id`, offset 68): the open then asks SQLite for neither.
 */
export interface HeaderFacts {
  stamp?: number;
  owner?: number;
}

export function inspectTenantFile(file: string, facts?: HeaderFacts): string | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    // A folder this process may not enter is not a missing file: the file is there, out of reach.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'the database file is missing';
    return `the database file cannot be reached (${refusal(error)})`;
  }
  if (!stat.isFile()) return 'the database path is not a file';
  if (stat.size === 0) return 'the database file is empty (0 bytes)';
  if (fs.existsSync(`${file}-wal`) || fs.existsSync(`${file}-shm`)) return undefined;
  const header = Buffer.alloc(100);
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    // Not readable by the user the server runs as (a file copied in by root, mode 000, ...).
    return `the database file cannot be read (${refusal(error)})`;
  }
  let read: number;
  try {
    read = fs.readSync(fd, header, 0, 100, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (read < 100 || !isSqliteHeader(header)) return 'the file is not a database (no SQLite header)';
  const rawPageSize = header.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  // The in-header size is valid when the "version valid for" number matches the change counter.
  const pages = header.readUInt32BE(28);
  const valid = header.readUInt32BE(92) === header.readUInt32BE(24);
  if (valid && pages > 0 && stat.size < pages * pageSize) return `the database file is truncated (${stat.size} bytes, its header records ${pages * pageSize})`;
  if (facts) {
    facts.stamp = header.readInt32BE(60);
    facts.owner = ownerInHeader(header);
  }
  return undefined;
}

/**
 * Makes a WAL-mode file a rollback-journal file in its header, as SQLite's own switch out of WAL
 * does once the WAL is checkpointed and gone: bytes 18 and 19 (the file format's write and read
 * versions) from 2 to 1. Only for a file nobody else can open (a staged tenant file in its temp
 * folder) and only when no -wal file sits beside it, so the main file is the whole database;
 * anything else (no SQLite header, another version, a WAL present) is left as it is, and SQLite
 * then reads it in its own way, and so is a file that is not there yet (SQLite creates it).
 * Returns whether the header was changed.
 */
export function leaveWalInHeader(file: string): boolean {
  if (!fs.existsSync(file) || fs.existsSync(`${file}-wal`)) return false;
  const fd = fs.openSync(file, 'r+');
  try {
    const header = Buffer.alloc(20);
    if (fs.readSync(fd, header, 0, 20, 0) < 20 || !isSqliteHeader(header)) return false;
    if (header[18] !== 2 || header[19] !== 2) return false;
    fs.writeSync(fd, Buffer.from([1, 1]), 0, 2, 18);
    return true;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * SQLite's own words for a file it cannot read (corrupt, not a database, I/O error), or cannot
 * open for writing (READONLY: the file or its folder is not writable by this process, so its
 * `-wal` and `-shm` cannot be made).
 */
export function isUnreadableFileError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(CORRUPT|NOTADB|IOERR|CANTOPEN|FORMAT|RANGE|EMPTY|READONLY)/.test(code);
}

/**
 * An open tenant file that holds no tenant schema is damaged, never "behind": a tenant file
 * always has its migration table with at least its first migration from provisioning on.
 */
export function schemaProblem(db: BetterSqlite3.Database): string | undefined {
  try {
    const table = db.prepare("select 1 from sqlite_master where type = 'table' and name = ?").get(TENANT_MIGRATION_TABLE);
    if (!table) return 'the database holds no tenant schema (no migration table)';
    const row = db.prepare(`select count(*) as n from ${TENANT_MIGRATION_TABLE}`).get() as { n: number };
    return row.n === 0 ? 'the database holds no tenant schema (no migration recorded)' : undefined;
  } catch (error) {
    if (isUnreadableFileError(error)) return `the database cannot be read (${(error as Error).message})`;
    throw error;
  }
}

/** `PRAGMA quick_check` (or `integrity_check`, which also checks index contents): undefined when ok. */
export function checkIntegrity(db: BetterSqlite3.Database, deep = false): string | undefined {
  try {
    const rows = db.pragma(deep ? 'integrity_check(20)' : 'quick_check(20)') as Array<Record<string, string>>;
    const messages = rows.map((r) => Object.values(r)[0]);
    return messages.length === 1 && messages[0] === 'ok' ? undefined : `${deep ? 'integrity_check' : 'quick_check'} failed: ${messages.slice(0, 3).join('; ')}`;
  } catch (error) {
    if (isUnreadableFileError(error)) return `the database cannot be read (${(error as Error).message})`;
    throw error;
  }
}
