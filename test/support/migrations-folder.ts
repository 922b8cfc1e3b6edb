import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';

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

/**
 * A fresh temp folder holding the real tenant migrations up to and including `last`: the
 * migrations of an older release (a deployment, an export or a backup made before the rest).
 */
export function migrationsFolderUpTo(last: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-migrations-'));
  for (const file of fs.readdirSync(REAL_MIGRATIONS).filter((f) => f.endsWith('.ts') && f.slice(0, -'.ts'.length) <= last))
    fs.copyFileSync(path.join(REAL_MIGRATIONS, file), path.join(dir, file));
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

/**
 * Puts a tenant file one migration behind the code: the newest real migration's `down` run on it,
 * its record removed and the file's stamp cleared (as a file the code never migrated).
 * Returns the migration undone and the one the file is at now.
 */
export async function undoNewestRealMigration(database: string): Promise<{ undone: string; previous: string }> {
  const undone = newestRealMigration();
  // A migration named at run time (jest runs CommonJS: no dynamic import).
  const migration = require(path.join(REAL_MIGRATIONS, `${undone}.ts`)) as { down(knex: Knex): Promise<void> };
  const knex = knexFactory({ client: 'better-sqlite3', connection: { filename: database }, useNullAsDefault: true });
  try {
    await migration.down(knex);
    await knex('tenant_migrations').where({ name: undone }).delete();
    await knex.raw('pragma user_version = 0');
    const { name } = (await knex('tenant_migrations').max('name as name').first()) as { name: string };
    return { undone, previous: name };
  } finally {
    await knex.destroy();
  }
}
