import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { Umzug, type UmzugStorage, type RunnableMigration } from 'umzug';

type MigrationModule = { up: (knex: Knex) => Promise<void>; down?: (knex: Knex) => Promise<void> };

const MIGRATION_FILE = /^\d{4}-[a-z0-9-]+\.ts$/;

export interface MigrationSource {
  /** Ordered migration names (file names without extension). */
  /** The folder the migrations were loaded from (worker threads load it again by this path). */
  dir: string;
  names: string[];
  migrations: RunnableMigration<Knex>[];
  /** Changes whenever a migration file is added or edited: keys the tenant template. */
  fingerprint: string;
  latest: string | null;
}

const sourceCache = new Map<string, MigrationSource>();

/** Loads the migrations of one track (a folder of NNNN-name.ts files), in name order. */
export function loadMigrationSource(dir: string): MigrationSource {
  const cached = sourceCache.get(dir);
  if (cached) return cached;
  const files = fs
    .readdirSync(dir)
    .filter((f) => MIGRATION_FILE.test(f))
    .sort();
  const hash = crypto.createHash('sha256');
  const migrations = files.map((file): RunnableMigration<Knex> => {
    const full = path.join(dir, file);
    hash.update(file).update(fs.readFileSync(full));
    const name = file.replace(/\.ts$/, '');
    return {
      name,
      path: full,
      up: async ({ context }) => (require(full) as MigrationModule).up(context),
      down: async ({ context }) => (require(full) as MigrationModule).down?.(context),
    };
  });
  const source: MigrationSource = {
    dir,
    names: migrations.map((m) => m.name),
    migrations,
    fingerprint: hash.digest('hex').slice(0, 16),
    latest: migrations.length ? migrations[migrations.length - 1].name : null,
  };
  sourceCache.set(dir, source);
  return source;
}

/** umzug's storage contract, kept in a table of the migrated database itself. */
export function knexStorage(knex: Knex, table: string): UmzugStorage<Knex> {
  // Checked once per storage: a storage lives for one migration run inside one transaction.
  let ensured = false;
  const ensure = async () => {
    if (ensured) return;
    if (!(await knex.schema.hasTable(table))) {
      await knex.schema.createTable(table, (t) => {
        t.string('name', 200).primary();
        t.bigInteger('applied_at').notNullable();
      });
    }
    ensured = true;
  };
  return {
    async logMigration({ name }) {
      await ensure();
      await knex(table).insert({ name, applied_at: Date.now() });
    },
    async unlogMigration({ name }) {
      await ensure();
      await knex(table).where({ name }).delete();
    },
    async executed() {
      await ensure();
      const rows: Array<{ name: string }> = await knex(table).select('name').orderBy('name');
      return rows.map((r) => r.name);
    },
  };
}

export interface MigrateResult {
  applied: string[];
  version: string | null;
}

/**
 * Applies every pending migration of a track inside one transaction: either all of them
 * land or none does, so a failing migration leaves the database at its previous version.
 * With the product's sqlBuilder the transaction begins IMMEDIATE (core/db/sql-builder.ts): it
 * holds the write lock from its first statement, so writers of other processes wait for it (and
 * it for them) instead of the migration failing half-way on a stale snapshot.
 * With `connection`, the transaction runs on that connection instead of one from knex's pool
 * (one knex serves every tenant file of a fleet migration).
 */
export async function migrateInOneTransaction(knex: Knex, source: MigrationSource, table: string, connection?: unknown): Promise<MigrateResult> {
  return knex.transaction(
    async (trx) => {
      const umzug = new Umzug<Knex>({
        migrations: source.migrations,
        context: () => trx,
        storage: knexStorage(trx, table),
        logger: undefined,
      });
      const applied = (await umzug.up()).map((m) => m.name);
      const executed = await umzug.executed();
      return { applied, version: executed.length ? executed[executed.length - 1].name : null };
    },
    connection === undefined ? undefined : { connection },
  );
}
