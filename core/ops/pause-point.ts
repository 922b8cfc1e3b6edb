import fs from 'node:fs';

/**
 * A named step of a long file operation (backup, restore, import). Tests prove an operation is
 * killable at any instant by running it in a child process with TENANTRY_PAUSE_AT=<step> and
 * TENANTRY_PAUSE_FILE=<path>: on reaching that step the process writes the file and stops dead
 * (the thread blocks, so nothing after the step runs), and the test SIGKILLs it there. Without
 * both variables this does nothing.
 */
export function pausePoint(step: string): void {
  const at = process.env.TENANTRY_PAUSE_AT;
  const file = process.env.TENANTRY_PAUSE_FILE;
  if (!at || !file || at !== step) return;
  fs.writeFileSync(file, step);
  // Blocks this thread for good: the step never continues; the test kills the process.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
}
