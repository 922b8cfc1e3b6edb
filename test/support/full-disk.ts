import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { SqliteHandle } from '../../core/db/sqlite-handle';

function enospc(file: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`ENOSPC: no space left on device, write '${file}'`), { code: 'ENOSPC', errno: -28, syscall: 'write', path: file });
}

/**
 * A disk that fills up and is freed again, for tests (no tmpfs or loop device is available, and
 * filling the real disk would hurt everything else on it). While full:
 * - every SQLite statement that writes (SqliteHandle.run, on tenant and platform handles alike)
 *   fails with SQLITE_FULL, which is what SQLite answers on a full disk; reads keep working;
 * - fs.promises.writeFile writes half of its bytes, then fails with ENOSPC, as a real write does
 *   when the space runs out in the middle;
 * - fs.copyFileSync fails with ENOSPC.
 * - VACUUM INTO (the copy a backup, a clone or an export takes) fails with SQLITE_FULL;
 * - fs.statfsSync reports no space available (unless `spaceReadBeforeFull`: a disk that fills up
 *   between a check of its free space and the write).
 * Removing a file inside `freedBy` (deleting an attachment) frees the disk. With `within`, only
 * that folder's disk is full (BACKUP_DIR on a disk of its own): writes to paths outside it, and
 * SQLite statements on databases outside it, go through.
 */
export class FullDisk {
  full = false;
  private readonly spies: jest.SpyInstance[] = [];

  constructor(
    private readonly freedBy?: string,
    options: { within?: string; spaceReadBeforeFull?: boolean } = {},
  ) {
    const within = options.within && path.resolve(options.within);
    const isFull = (target?: string) => this.full && (!within || (target !== undefined && (path.resolve(target) + path.sep).startsWith(within + path.sep)));
    const free = (target: string) => {
      if (this.freedBy && path.resolve(target).startsWith(path.resolve(this.freedBy) + path.sep)) this.full = false;
    };
    // eslint-disable-next-line @typescript-eslint/unbound-method -- kept to be called with apply, then put back
    const run = SqliteHandle.prototype.run;
    this.spies.push(
      jest.spyOn(SqliteHandle.prototype, 'run').mockImplementation(function (this: SqliteHandle, ...args: Parameters<SqliteHandle['run']>) {
        if (isFull((this as unknown as { db: BetterSqlite3.Database }).db.name)) throw new BetterSqlite3.SqliteError('database or disk is full', 'SQLITE_FULL');
        return run.apply(this, args);
      }),
    );
    const writeFile = fs.promises.writeFile;
    this.spies.push(
      jest.spyOn(fs.promises, 'writeFile').mockImplementation(async (file, data, options) => {
        if (!isFull(String(file))) return writeFile(file, data, options);
        const bytes = Buffer.isBuffer(data) ? data : Buffer.from(String(data));
        await writeFile(file, bytes.subarray(0, Math.floor(bytes.length / 2)), options);
        throw enospc(String(file));
      }),
    );
    const copyFileSync = fs.copyFileSync;
    this.spies.push(
      jest.spyOn(fs, 'copyFileSync').mockImplementation((from, to, mode) => {
        if (isFull(String(to))) throw enospc(String(to));
        return copyFileSync(from, to, mode);
      }),
    );
    // eslint-disable-next-line @typescript-eslint/unbound-method -- kept to be called with apply, then put back
    const prepare = BetterSqlite3.prototype.prepare;
    this.spies.push(
      jest.spyOn(BetterSqlite3.prototype, 'prepare').mockImplementation(function (this: BetterSqlite3.Database, source: string) {
        const statement = prepare.call(this, source);
        if (!/^\s*vacuum\s+into\b/i.test(source)) return statement;
        const run = statement.run.bind(statement);
        return Object.assign(statement, {
          run: (target: string) => {
            if (isFull(target)) throw new BetterSqlite3.SqliteError('database or disk is full', 'SQLITE_FULL');
            return run(target);
          },
        });
      }),
    );
    const statfsSync = fs.statfsSync;
    this.spies.push(
      jest.spyOn(fs, 'statfsSync').mockImplementation(((target: fs.PathLike, statOptions?: fs.StatFsOptions) => {
        const stat = statfsSync(target, statOptions as { bigint?: false });
        return isFull(String(target)) && !options.spaceReadBeforeFull ? { ...stat, bfree: 0, bavail: 0 } : stat;
      }) as typeof fs.statfsSync),
    );
    const rm = fs.promises.rm;
    this.spies.push(
      jest.spyOn(fs.promises, 'rm').mockImplementation(async (target, options) => {
        await rm(target, options);
        free(String(target));
      }),
    );
  }

  restore(): void {
    for (const spy of this.spies) spy.mockRestore();
  }
}
