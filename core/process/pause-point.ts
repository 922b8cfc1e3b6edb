import fs from 'node:fs';

/**
 * Named points in long operations (provisioning, lifecycle, backup, restore, import, export,
 * migration, roll-up) where a test can stop the process, to kill it exactly there and prove that
 * the next start or a command repairs what it left. With `TENANTRY_PAUSE_AT=<name>` in the
 * environment, reaching the point writes `paused at <name>` to stderr (and the name to
 * `TENANTRY_PAUSE_FILE` when that is set, for tests that watch a file) and blocks the thread for
 * good (synchronously: nothing after the point runs); the test then SIGKILLs the process.
 * Without the variable a pause point costs one string comparison.
 */
export function pausePoint(name: string): void {
  const wanted = process.env.TENANTRY_PAUSE_AT;
  if (!wanted || wanted !== name) return;
  // Written synchronously: the thread blocks right after.
  fs.writeSync(2, `paused at ${name}\n`);
  const file = process.env.TENANTRY_PAUSE_FILE;
  if (file) fs.writeFileSync(file, name);
  const cell = new Int32Array(new SharedArrayBuffer(4));
  for (;;) Atomics.wait(cell, 0, 0);
}
