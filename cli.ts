import { runCli } from './app/build-program';

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
  // Exit once both streams have flushed what was written to them.
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
});
