import { runCli } from './build-program';

/** `tenantry ...` as a process: the real streams, and the exit code once both have flushed. */
export function runCliProcess(): void {
  // A closed pipe (`tenantry tenants list | head`) is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });

  void runCli(process.argv, {
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    isTTY: { stdin: Boolean(process.stdin.isTTY), stderr: Boolean(process.stderr.isTTY) },
  }).then((code) => {
    process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
  });
}
