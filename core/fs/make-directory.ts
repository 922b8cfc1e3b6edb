import fs from 'node:fs';
import path from 'node:path';

/**
 * `mkdir -p` that always ends: makes the folder and any missing parents, and succeeds when it is
 * there already. Node's own `mkdirSync(dir, { recursive: true })` loops forever under a folder
 * that exists but takes no new entries (`/proc/nope`: mkdir answers ENOENT, the parent EEXIST, and
 * it tries the child again), which hung start-up on such a DATA_DIR. Here each folder is tried
 * once more after its parent is made, and that try's error is the answer. A path whose existing
 * part is a file fails with ENOTDIR; another process making the same folder meanwhile is no error.
 */
export function makeDirectory(dir: string, options: { mode?: number } = {}): void {
  const target = path.resolve(dir);
  if (tryMake(target, options.mode) !== 'missing-parent') return;
  const parent = path.dirname(target);
  if (parent !== target) makeDirectory(parent, options);
  // The parent is there now: a folder still not made here cannot be (its error, thrown, says why).
  if (tryMake(target, options.mode) === 'missing-parent') fs.mkdirSync(target, { mode: options.mode });
}

function tryMake(dir: string, mode: number | undefined): 'made' | 'missing-parent' {
  try {
    fs.mkdirSync(dir, { mode });
    return 'made';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'missing-parent';
    if (code !== 'EEXIST') throw error;
    if (!fs.statSync(dir).isDirectory()) {
      throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${dir}'`), { code: 'ENOTDIR', errno: -20, syscall: 'mkdir', path: dir });
    }
    return 'made';
  }
}
