import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const created = new Set<string>();

// A crashed or interrupted run must not leave gigabytes of tenant files in the temp folder.
process.once('exit', () => {
  for (const dir of created) fs.rmSync(dir, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const dir of created) fs.rmSync(dir, { recursive: true, force: true });
    process.exit(130);
  });
}

export interface TempDir {
  readonly path: string;
  remove(): void;
}

/** A fresh folder under os.tmpdir(), removed by remove() or, at the latest, when the process exits. */
export function makeTempDir(label: string): TempDir {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tenantry-bench-${label}-`));
  created.add(dir);
  return {
    path: dir,
    remove() {
      fs.rmSync(dir, { recursive: true, force: true });
      created.delete(dir);
    },
  };
}
