import BetterSqlite3 from 'better-sqlite3';
import { CliContext } from '../../../core/cli/cli-io';
import { reportError } from '../../../core/cli/report-error';
import { ConflictError, ProvisioningError } from '../../../core/errors/app-errors';
import { captureStream } from '../../control-plane/cli/cli-runner';

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

  it('prints the stack trace of an unexpected error, which is a bug', () => {
    const { code, stderr } = report(new TypeError("Cannot read properties of undefined (reading 'id')"));
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error: unexpected failure:\nTypeError: Cannot read properties of undefined \(reading 'id'\)\n\s+at /);
  });
});
