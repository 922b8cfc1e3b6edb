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

  it('prints the stack trace of an unexpected error, which is a bug', () => {
    const { code, stderr } = report(new TypeError("Cannot read properties of undefined (reading 'id')"));
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error: unexpected failure:\nTypeError: Cannot read properties of undefined \(reading 'id'\)\n\s+at /);
  });
});
