import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const REAL_MIGRATIONS = path.resolve(__dirname, '../../tenant-migrations');

/**
 * A fresh temp folder holding a copy of the real tenant migrations plus one more (`name`.ts with
 * `source`). Each scenario needs its own folder: loaded migration sources are cached by path.
 */
export function migrationsFolderWith(name: string, source: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-migrations-'));
  for (const file of fs.readdirSync(REAL_MIGRATIONS).filter((f) => f.endsWith('.ts'))) fs.copyFileSync(path.join(REAL_MIGRATIONS, file), path.join(dir, file));
  fs.writeFileSync(path.join(dir, `${name}.ts`), source);
  return dir;
}

/** The name of the newest real tenant migration (what a tenant made by this code is at). */
export function newestRealMigration(): string {
  const names = fs
    .readdirSync(REAL_MIGRATIONS)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.slice(0, -'.ts'.length))
    .sort();
  return names[names.length - 1];
}
