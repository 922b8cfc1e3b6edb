import fs from 'node:fs';

/**
 * Named points in long operations where a test can stop the process, to kill it exactly
 * there and prove that the next start repairs what it left. With `TENANTRY_PAUSE_AT=<name>`
 * in the environment, reaching the point writes `paused at <name>` to stderr and blocks the
 * process for good (synchronously: nothing else of it runs); the test then SIGKILLs it.
 * Without the variable a pause point costs one string comparison.
 */
export function pausePoint(name: string): void {
  const wanted = process.env.TENANTRY_PAUSE_AT;
  if (!wanted || wanted !== name) return;
  // Written synchronously: the process blocks right after.
  fs.writeSync(2, `paused at ${name}\n`);
  const cell = new Int32Array(new SharedArrayBuffer(4));
  for (;;) Atomics.wait(cell, 0, 0);
}
