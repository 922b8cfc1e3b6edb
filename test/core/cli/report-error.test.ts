import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { CliContext } from '../../../core/cli/cli-io';
import { reportError } from '../../../core/cli/report-error';
import { ConflictError, ProvisioningError } from '../../../core/errors/app-errors';
import { captureStream } from '../../support/cli-runner';

function report(error: unknown) {
  const stderr = captureStream();
  const code = reportError(new CliContext({ env: {}, stdout: captureStream(), stderr }), error);
  return { code, stderr: stderr.text() };
}

describe('reportError', () => {
  it('prints only the message of an expected error, and exits 1 for an operational failure', () => {
    expect(report(new ConflictError('Tenant acme is suspended.'))).toEqual({ code: 1, stderr: 'error: Tenant acme is suspended.\n' });
    expect(report(new ProvisioningError('disk full'))).toEqual({ code: 1, stderr: 'error: disk full\n' });
  });

  it('prints an operating-system refusal without a stack trace', () => {
    const denied = Object.assign(new Error("EACCES: permission denied, open '/srv/data/platform.sqlite'"), { code: 'EACCES', syscall: 'open' });
    expect(report(denied)).toEqual({ code: 1, stderr: "error: EACCES: permission denied, open '/srv/data/platform.sqlite'\n" });
  });

  it('says a full disk in words, without a stack trace, whether SQLite or the file system found it', () => {
    const expected = {
      code: 1,
      stderr: 'error: the disk is full; nothing more could be written. Free some space (old backups, exports, deleted files), then try again.\n',
    };
    expect(report(new BetterSqlite3.SqliteError('database or disk is full', 'SQLITE_FULL'))).toEqual(expected);
    expect(report(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' }))).toEqual(expected);
  });

  it('says in words, without a stack trace, that another process kept the database locked past every wait (exit 1)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-busy-'));
    const holder = new BetterSqlite3(path.join(dir, 'platform.sqlite'));
    const waiter = new BetterSqlite3(path.join(dir, 'platform.sqlite'), { timeout: 0 });
    try {
      holder.exec('create table t (x); begin immediate');
      let busy: unknown;
      try {
        waiter.exec('begin immediate');
      } catch (error) {
        busy = error;
      }
      const { code, stderr } = report(busy);
      expect(code).toBe(1);
      expect(stderr).toBe(
        'error: another process kept the database locked too long; the command stopped at the step that needed it. Try again once that process is done (a long-running command, or a tool holding a transaction open on a file in DATA_DIR).\n',
      );
      // Wrapped by a migration runner or a query builder, it reads the same.
      expect(report(new Error('migration failed', { cause: busy })).stderr).toContain('another process kept the database locked too long');
    } finally {
      waiter.close();
      holder.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prints the stack trace of an unexpected error, which is a bug', () => {
    const { code, stderr } = report(new TypeError("Cannot read properties of undefined (reading 'id')"));
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error: unexpected failure:\nTypeError: Cannot read properties of undefined \(reading 'id'\)\n\s+at /);
  });
});
