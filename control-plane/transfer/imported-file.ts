import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { ImportRefusedError, ValidationError } from '../../core/errors/app-errors';
import { isSqliteHeader } from '../../tenant-runtime/tenant-file-check';
import { headOf } from './verify-imported-database';
import { verbatim } from '../../core/i18n/message';
import { echoed } from '../../core/cli/cli-io';

const GZIP = Buffer.from([0x1f, 0x8b]);

/** What a file offered for import is, by its first bytes: an export (gzip) or a bare database. */
export function sniff(file: string): 'export' | 'adopted' {
  const shown = echoed(path.resolve(file), 200);
  // A folder, a device or a pipe is refused before it is opened: reading a pipe would wait for ever.
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(file, { throwIfNoEntry: false });
  } catch (error) {
    throw unreadable(shown, error);
  }
  if (!stat) throw unreadable(shown, Object.assign(new Error('no such file'), { code: 'ENOENT' }));
  if (stat.isDirectory()) throw ValidationError.single('file', verbatim(`${shown} is a folder: name an export (.tar.gz) or a tenant.sqlite`));
  if (!stat.isFile()) throw ValidationError.single('file', verbatim(`${shown} is not a regular file`));
  let head: Buffer;
  try {
    head = headOf(file);
  } catch (error) {
    throw unreadable(shown, error);
  }
  if (head.subarray(0, GZIP.length).equals(GZIP)) return 'export';
  if (isSqliteHeader(head)) return 'adopted';
  throw new ImportRefusedError('the file is neither a Tenantry export (.tar.gz) nor a tenant.sqlite database');
}

/** Why the file offered cannot be read, naming it: not there, no permission, or the system's code. */
function unreadable(shown: string, error: unknown): ValidationError {
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  if (code === 'ENOENT' || code === 'ENOTDIR') return ValidationError.single('file', verbatim(`${shown} does not exist`));
  if (code === 'EACCES' || code === 'EPERM') return ValidationError.single('file', verbatim(`${shown} cannot be read: permission denied (${code})`));
  return ValidationError.single('file', verbatim(`${shown} cannot be read (${code})`));
}

/**
 * Copies a bare database offered for adoption. A write-ahead log or rollback journal beside it may
 * hold its latest committed changes (an install stopped uncleanly, or still running): the file alone
 * would silently lack them, so it is refused until they are written into it.
 */
export function copyBareDatabase(file: string, target: string, maxBytes: number): void {
  for (const companion of [`${file}-wal`, `${file}-journal`]) {
    if ((fs.statSync(companion, { throwIfNoEntry: false })?.size ?? 0) > 0)
      throw new ImportRefusedError(
        `${path.basename(companion)} lies beside the database and may hold its latest changes: stop the install it belongs to (or open the file once with sqlite3, which writes them into it), then import again`,
      );
  }
  if (fs.statSync(file).size > maxBytes) throw new ImportRefusedError(`the database is larger than ${Math.round(maxBytes / (1024 * 1024))} MB (IMPORT_MAX_MB)`);
  fs.copyFileSync(file, target, fs.constants.COPYFILE_EXCL);
}

/**
 * A fresh file holding only what the checked schema and its rows say: VACUUM INTO rebuilds the
 * database from scratch, so no free page or other byte of the offered file is carried over.
 */
export function rewrite(database: string): string {
  const clean = `${database}.clean`;
  const db = new BetterSqlite3(database, { readonly: true, fileMustExist: true });
  try {
    db.pragma('trusted_schema = OFF');
    // Not flushed page by page: provisioning opens it, and closing it there syncs it before it is renamed into place.
    db.pragma('synchronous = OFF');
    db.prepare('VACUUM INTO ?').run(clean);
  } finally {
    db.close();
  }
  return clean;
}

/** Attachment rows whose file did not come with the data. */
export function countAttachmentsWithoutFile(database: string, filesDir: string): number {
  const db = new BetterSqlite3(database, { readonly: true, fileMustExist: true });
  try {
    const names = (db.prepare('select stored_name from attachments').all() as Array<{ stored_name: string }>).map((r) => r.stored_name);
    return names.filter((name) => !fs.existsSync(path.join(filesDir, name))).length;
  } catch {
    return 0;
  } finally {
    db.close();
  }
}
